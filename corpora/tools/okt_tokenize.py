#!/usr/bin/env python3
"""konlpy's Okt as a `command` tokenizer — the lecture's `Okt().morphs(text, stem=True)`: one
document per line on standard input, its morphemes space-separated on standard output, one line
per document, flushed per line. Needs Java (konlpy starts a JVM)."""
import sys

from konlpy.tag import Okt

if "--version" in sys.argv:
    import konlpy
    print("konlpy", konlpy.__version__, "Okt")
    sys.exit(0)
okt = Okt()
for line in sys.stdin:
    text = line.rstrip("\n")
    tokens = okt.morphs(text, stem=True) if text.strip() else []
    sys.stdout.write(" ".join(t.replace(" ", "_") for t in tokens) + "\n")
    sys.stdout.flush()
