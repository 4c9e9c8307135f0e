"""Trains a small fastText skip-gram with the fasttext package, for the suite's import test,
and prints fastText's own vectors of the words asked for.

Usage: fasttext_train_tiny.py CORPUS OUT.bin WORD...   Prints one JSON object {word: vector}.
"""
import json
import sys

import fasttext

corpus, out, words = sys.argv[1], sys.argv[2], sys.argv[3:]
model = fasttext.train_unsupervised(input=corpus, model="skipgram", dim=12, epoch=1, minCount=1, minn=2, maxn=4, bucket=3001, thread=1,
                                    verbose=0)
model.save_model(out)
print(json.dumps({w: [float(x) for x in model.get_word_vector(w)] for w in words}))
