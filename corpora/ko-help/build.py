#!/usr/bin/env python3
"""Builds corpora/ko-help/ko-help.txt: Korean sentences from Debian's Korean help packages.

Needs `apt-get install -y libreoffice-help-ko gimp-help-ko debian-faq-ko`. Reads their HTML
(LibreOffice help, GIMP help, the Debian FAQ), keeps the text of block elements (paragraphs,
list items, table cells, headings), one block per line with white space collapsed, keeps the
lines that hold Hangul and at least three words, drops repeated lines, and writes them in a
fixed order (package, then file path). Deterministic: the same packages give the same bytes.
"""
import html.parser
import os
import re
import sys

ROOT = os.path.dirname(os.path.abspath(__file__))
SOURCES = ["/usr/share/libreoffice/help/ko", "/usr/share/gimp/2.0/help/ko", "/usr/share/doc/debian/FAQ/ko"]
BLOCKS = {"p", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "caption", "title", "pre"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")


class Blocks(html.parser.HTMLParser):
    """Collects the text of block elements; scripts and styles are skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks, self.current, self.skip = [], [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag in BLOCKS or tag == "br":
            self.flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.current.append(data)

    def flush(self):
        text = " ".join("".join(self.current).split())
        if text:
            self.blocks.append(text)
        self.current = []


def main():
    missing = [s for s in SOURCES if not os.path.isdir(s)]
    if missing:
        sys.exit(f"missing {', '.join(missing)}: run apt-get install -y libreoffice-help-ko gimp-help-ko debian-faq-ko")
    seen, lines = set(), []
    files = 0
    for source in SOURCES:
        paths = sorted(os.path.join(d, f) for d, _, fs in os.walk(source) for f in fs if f.endswith(".html"))
        for path in paths:
            parser = Blocks()
            with open(path, encoding="utf-8", errors="replace") as f:
                parser.feed(f.read())
            parser.flush()
            files += 1
            for block in parser.blocks:
                if HANGUL.search(block) and len(block.split()) >= 3 and block not in seen:
                    seen.add(block)
                    lines.append(block)
    out = os.path.join(ROOT, "ko-help.txt")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    size = os.path.getsize(out)
    words = sum(len(l.split()) for l in lines)
    print(f"{out}: {len(lines)} lines, {words} whitespace tokens, {size / 1e6:.2f} MB from {files} HTML files")


if __name__ == "__main__":
    main()
