#!/usr/bin/env python3
"""Build a growing English corpus from gcide: N copies, a fifth of the words renamed in each.

Copy 0 is corpora/gcide/gcide.txt as it is. In copy k ≥ 1 every word type w for which
crc32("k:w") % 5 == 0 becomes w + a suffix naming k ("q" + k in base 26 letters), so each
copy brings about a fifth of the vocabulary again under new names and the vocabulary grows
with the corpus as in real text, while the word frequencies keep gcide's shape. The output
is a pure function of gcide.txt and N.

Usage: build.py N [OUTPUT]   (default: gcide-xN.txt beside this script); prints words and types.
Needs corpora/gcide/gcide.txt (corpora/gcide/build.py).
"""
import os
import sys
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.join(HERE, "..", "gcide", "gcide.txt")


def suffix(k):
    letters = ""
    while True:
        letters = chr(ord("a") + k % 26) + letters
        k //= 26
        if k == 0:
            return "q" + letters


def main():
    if len(sys.argv) < 2 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit("usage: build.py N [OUTPUT]   (N ≥ 1 copies of gcide)")
    copies = int(sys.argv[1])
    out_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, f"gcide-x{copies}.txt")
    if not os.path.exists(SOURCE):
        sys.exit(f"{os.path.normpath(SOURCE)} not found: run corpora/gcide/build.py first")
    with open(SOURCE, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    types = {w for line in lines for w in line.split()}
    words = sum(len(line.split()) for line in lines)
    all_types = set(types)
    tmp = out_path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")
        for k in range(1, copies):
            tail = suffix(k)
            renamed = {w: w + tail for w in types if zlib.crc32(f"{k}:{w}".encode()) % 5 == 0}
            all_types.update(renamed.values())
            get = renamed.get
            out.write("\n".join(" ".join([get(w, w) for w in line.split()]) for line in lines) + "\n")
    os.replace(tmp, out_path)
    print(f"{out_path}: {copies} copies, {words * copies} words, {len(all_types)} types")


if __name__ == "__main__":
    main()
