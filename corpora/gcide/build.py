#!/usr/bin/env python3
"""Build an English corpus from Debian's dict-gcide (the 1913 Webster + WordNet glosses).

Reads /usr/share/dictd/gcide.index and gcide.dict.dz, takes every dictionary entry (the
00-database-* preamble entries excluded), strips the dictd markup (pronunciations between
backslashes, [source notes], {braces}), lowercases, keeps words (letters and digits, with
inner apostrophes or hyphens) separated by single spaces, and writes one entry per line.

Usage: build.py [OUTPUT]   (default: gcide.txt beside this script); prints the size.
Install the data first: apt-get install -y dict-gcide
"""
import gzip
import os
import re
import sys

DICT_DIR = "/usr/share/dictd"
B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def b64(text):
    value = 0
    for ch in text:
        value = value * 64 + B64.index(ch)
    return value


PRONUNCIATION = re.compile(r"\\[^\\\n]*\\")
NOTE = re.compile(r"\[[^\]]*\]")
WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "gcide.txt")
    index_path = os.path.join(DICT_DIR, "gcide.index")
    if not os.path.exists(index_path):
        sys.exit("gcide.index not found: install Debian's dict-gcide (apt-get install -y dict-gcide)")
    with gzip.open(os.path.join(DICT_DIR, "gcide.dict.dz"), "rb") as f:
        data = f.read()
    spans = set()
    with open(index_path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 3 or parts[0].startswith("00-"):
                continue
            spans.add((b64(parts[1]), b64(parts[2])))
    entries = 0
    words = 0
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        for offset, length in sorted(spans):
            text = data[offset:offset + length].decode("utf-8", "replace")
            text = PRONUNCIATION.sub(" ", text)
            text = NOTE.sub(" ", text)
            tokens = WORD.findall(text.lower())
            if not tokens:
                continue
            out.write(" ".join(tokens) + "\n")
            entries += 1
            words += len(tokens)
    os.replace(tmp, out_path)
    print(f"{out_path}: {entries} entries, {words} words, {os.path.getsize(out_path)} bytes")


if __name__ == "__main__":
    main()
