"""Rewrites a word2vec binary file in another file's word order: reorder_vectors.py SRC ORDER OUT.

Both tools sort their vocabularies by count, but order words of equal count differently
(wordmill by first occurrence, gensim by numpy's unstable argsort). `restrict_vocab` 30000
then cuts through a band of tied counts and keeps about 1,100 different words, so the two
files would be scored on different analogy questions (on gcide 42 against 56
capital-common-countries questions, 168 against 288 currency ones). Rewriting gensim's
vectors in wordmill's order, the same words with the same counts, scores both on the same
questions and candidates.
"""
import sys

from gensim.models import KeyedVectors

src = KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)
order = KeyedVectors.load_word2vec_format(sys.argv[2], binary=True)
if set(src.index_to_key) != set(order.index_to_key):
    sys.exit(f"{sys.argv[1]} and {sys.argv[2]} hold different words; cannot reorder")
out = KeyedVectors(src.vector_size)
out.add_vectors(order.index_to_key, [src[w] for w in order.index_to_key])
out.save_word2vec_format(sys.argv[3], binary=True)
