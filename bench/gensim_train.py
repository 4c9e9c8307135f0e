"""Train gensim Word2Vec in corpus_file mode and save the vectors as word2vec binary.

Prints one JSON line: {"train_seconds": ..., "vocab_seconds": ..., "vocab_size": ..., "words": ...}.
"""
import json
import sys
import time

from gensim.models import Word2Vec

corpus, out, sg, hs, negative, lr, threads, epochs, seed = sys.argv[1:10]
started = time.perf_counter()
model = Word2Vec(vector_size=100, window=5, min_count=5, sample=1e-3, sg=int(sg), hs=int(hs), negative=int(negative),
                 alpha=float(lr), min_alpha=0.0001, workers=int(threads), epochs=int(epochs), seed=int(seed))
model.build_vocab(corpus_file=corpus)
vocab_done = time.perf_counter()
model.train(corpus_file=corpus, total_examples=model.corpus_count, total_words=model.corpus_total_words, epochs=model.epochs)
train_done = time.perf_counter()
model.wv.save_word2vec_format(out, binary=True)
print(json.dumps({"train_seconds": train_done - vocab_done, "vocab_seconds": vocab_done - started,
                  "vocab_size": len(model.wv), "words": model.corpus_total_words}))
