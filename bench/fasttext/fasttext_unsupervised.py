"""Train fastText's subword skip-gram and write what the bench scores; prints one JSON line.

Usage: fasttext_unsupervised.py CORPUS EPOCH THREADS SEED OUT_DIR WORDS_FILE
Writes OUT_DIR/vectors.txt (word2vec text, the vocabulary in fastText's order without </s>)
and OUT_DIR/oov.txt (a word and its values per line for each word of WORDS_FILE).
"""
import json
import sys
import time

import fasttext.FastText as F


def train_unsupervised(**kwargs):
    """fasttext.train_unsupervised, which in 0.9.3 leaves `seed` out of the arguments it accepts."""
    args, manual = F.read_args((), kwargs, list(F.unsupervised_default) + ["input"], F.unsupervised_default)
    a = F._build_args(args, manual)
    model = F._FastText(args=a)
    F.fasttext.train(model.f, a)
    model.set_args(model.f.getArgs())
    return model


corpus, epoch, threads, seed, out, words_file = sys.argv[1:7]
started = time.perf_counter()
model = train_unsupervised(input=corpus, model="skipgram", dim=100, ws=5, neg=5, minCount=5, minn=3, maxn=6, t=1e-4, lr=0.05,
                           epoch=int(epoch), thread=int(threads), seed=int(seed), verbose=0)
trained = time.perf_counter() - started
words = [w for w in model.words if w != "</s>"]
with open(f"{out}/vectors.txt", "w", encoding="utf-8") as f:
    f.write(f"{len(words)} {model.get_dimension()}\n")
    for w in words:
        f.write(w + " " + " ".join(repr(float(x)) for x in model.get_word_vector(w)) + "\n")
with open(f"{out}/oov.txt", "w", encoding="utf-8") as f:
    for w in open(words_file, encoding="utf-8").read().split():
        f.write(w + " " + " ".join(repr(float(x)) for x in model.get_word_vector(w)) + "\n")
print(json.dumps({"train_seconds": trained, "words": len(words)}))
