"""Loads a wordmill `fasttext-bin` export with fastText's own Python package and prints what
fastText predicts, for the suite to compare with `wordmill predict`.

Usage: fasttext_check.py MODEL.bin TEXTS.txt   (one text per line). Prints one JSON object a
line: {"labels": [...], "probabilities": [...]} over every label, labels without __label__.
"""
import json
import sys

import fasttext

model = fasttext.load_model(sys.argv[1])
print(json.dumps({"words": len(model.words), "labels": len(model.labels), "dim": model.get_dimension()}))
for line in open(sys.argv[2], encoding="utf-8").read().split("\n"):
    if not line:
        continue
    labels, probabilities = model.predict(line, k=-1)
    print(json.dumps({"labels": [l[len("__label__"):] for l in labels], "probabilities": [float(p) for p in probabilities]}))
