"""Train gensim Word2Vec in corpus_file mode and save the vectors as word2vec binary.

Prints one JSON line: {"train_seconds": ..., "vocab_seconds": ..., "vocab_size": ..., "words": ...}.
"""
import json
import sys
import time

from gensim.models import Word2Vec

corpus, out, sg, hs, negative, lr, threads, epochs, seed = sys.argv[1:10]
# "per-worker": in corpus_file mode each worker decays the learning rate by the sentences *it*
# has read against total_examples, the whole corpus's count, so with N workers each epoch ends
# at the rate 1/N of the way through it. Passing total_examples / N makes the decay reach the
# epoch's end as with one worker (the stopping rule uses total_words and is unchanged).
per_worker_schedule = len(sys.argv) > 10 and sys.argv[10] == "per-worker"
started = time.perf_counter()
model = Word2Vec(vector_size=100, window=5, min_count=5, sample=1e-3, sg=int(sg), hs=int(hs), negative=int(negative),
                 alpha=float(lr), min_alpha=0.0001, workers=int(threads), epochs=int(epochs), seed=int(seed))
model.build_vocab(corpus_file=corpus)
vocab_done = time.perf_counter()
examples = model.corpus_count // int(threads) if per_worker_schedule else model.corpus_count
model.train(corpus_file=corpus, total_examples=examples, total_words=model.corpus_total_words, epochs=model.epochs)
train_done = time.perf_counter()
model.wv.save_word2vec_format(out, binary=True)
print(json.dumps({"train_seconds": train_done - vocab_done, "vocab_seconds": vocab_done - started,
                  "vocab_size": len(model.wv), "words": model.corpus_total_words}))
