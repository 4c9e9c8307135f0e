"""Loads wordmill's exports with the tools people use and checks them against each other.

Usage: interop_check.py FOLDER   (holding vectors.txt, vectors.bin, glove.txt, vectors.npy,
vectors.vocab.txt, projector/vectors.tsv, projector/metadata.tsv). Prints "interop ok".
"""
import sys

import numpy as np
from gensim.models import KeyedVectors

folder = sys.argv[1]
words = open(f"{folder}/vectors.vocab.txt", encoding="utf-8").read().split("\n")[:-1]
matrix = np.load(f"{folder}/vectors.npy")
assert matrix.dtype == np.float32 and matrix.shape == (len(words), matrix.shape[1]), (matrix.dtype, matrix.shape)

text = KeyedVectors.load_word2vec_format(f"{folder}/vectors.txt", binary=False)
binary = KeyedVectors.load_word2vec_format(f"{folder}/vectors.bin", binary=True)
glove = KeyedVectors.load_word2vec_format(f"{folder}/glove.txt", binary=False, no_header=True)
for name, kv in (("text", text), ("binary", binary), ("glove", glove)):
    assert list(kv.index_to_key) == words, name
    assert np.array_equal(kv.vectors, matrix), name  # shortest round-trip decimals read back exactly

rows = [l for l in open(f"{folder}/projector/vectors.tsv", encoding="utf-8").read().split("\n") if l.strip()]
labels = [l for l in open(f"{folder}/projector/metadata.tsv", encoding="utf-8").read().split("\n") if l.strip()]
assert len(rows) == len(labels) == len(words), (len(rows), len(labels), len(words))
assert np.allclose(np.array([[float(x) for x in r.split("\t")] for r in rows], dtype=np.float32), matrix)
print("interop ok", len(words), matrix.shape[1])
