#!/usr/bin/env python3
"""Kiwi (kiwipiepy) as a `command` tokenizer: one document per line on standard input, its
morphemes' surface forms space-separated on standard output, one line per document, flushed
per line (wordmill streams both ways). `--drop-pos J,E` drops tags with those prefixes."""
import sys

from kiwipiepy import Kiwi

if "--version" in sys.argv:
    import kiwipiepy
    print("kiwipiepy", kiwipiepy.__version__)
    sys.exit(0)
drop = ()
if "--drop-pos" in sys.argv:
    drop = tuple(sys.argv[sys.argv.index("--drop-pos") + 1].split(","))
kiwi = Kiwi()
for line in sys.stdin:
    tokens = [t.form for t in kiwi.tokenize(line.rstrip("\n")) if not (drop and t.tag.startswith(drop))]
    sys.stdout.write(" ".join(f.replace(" ", "_") for f in tokens) + "\n")
    sys.stdout.flush()
