#!/usr/bin/env python3
"""Korean word spacing as character tagging, from the Korean help corpus.

Reads corpora/ko-help/ko-help.txt (built by corpora/ko-help/build.py from Debian's
libreoffice-help-ko, gimp-help-ko and debian-faq-ko; built here first when missing) and
writes corpora/ko-spacing/spacing.tsv in wordmill's "tagged" format: one line per character
of a sentence with its spaces removed, `char<TAB>tag`, where the tag is `B` when a space
followed the character in the original text and `I` when it did not; a blank line between
sentences. Only lines holding Hangul are kept. Deterministic: the same input gives the same file.
"""
import os
import re
import subprocess
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "ko-help", "ko-help.txt")
TARGET = os.path.join(HERE, "spacing.tsv")
HANGUL = re.compile("[\uac00-\ud7a3]")


def main() -> int:
    if not os.path.exists(SOURCE):
        subprocess.run([sys.executable, os.path.join(HERE, "..", "ko-help", "build.py")], check=True)
    sentences = chars = spaces = 0
    with open(SOURCE, encoding="utf-8") as src, open(TARGET + ".tmp", "w", encoding="utf-8", newline="\n") as out:
        for line in src:
            text = " ".join(unicodedata.normalize("NFC", line).split())
            if not HANGUL.search(text):
                continue
            tagged = []
            for i, ch in enumerate(text):
                if ch == " ":
                    continue
                follows = i + 1 < len(text) and text[i + 1] == " "
                tagged.append(f"{ch}\t{'B' if follows else 'I'}")
                spaces += follows
            out.write("\n".join(tagged) + "\n\n")
            sentences += 1
            chars += len(tagged)
    os.replace(TARGET + ".tmp", TARGET)
    print(f"wrote {TARGET}: {sentences} sentences, {chars} characters, {spaces} followed by a space ({spaces / chars:.1%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
