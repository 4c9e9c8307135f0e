"""Loads a wordmill `fasttext-bin` export of subword vectors with fastText's Python package and
with gensim's `load_facebook_model`, and prints both tools' vectors of the words asked for.

Usage: fasttext_vectors_check.py MODEL.bin WORD...   Prints one JSON object: {"words":
vocabulary size, "dim": D, "fasttext": {word: vector}, "gensim": {word: vector}}.
"""
import json
import sys

import fasttext
from gensim.models.fasttext import load_facebook_model

path, words = sys.argv[1], sys.argv[2:]
ft = fasttext.load_model(path)
gm = load_facebook_model(path)
assert len(gm.wv.index_to_key) == len(ft.words), (len(gm.wv.index_to_key), len(ft.words))
print(json.dumps({
    "words": len(ft.words), "dim": ft.get_dimension(),
    "fasttext": {w: [float(x) for x in ft.get_word_vector(w)] for w in words},
    "gensim": {w: [float(x) for x in gm.wv[w]] for w in words},
}))
