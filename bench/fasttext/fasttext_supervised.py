"""Train fastText's supervised classifier and test it; prints one JSON line.

Usage: fasttext_supervised.py TRAIN TEST EPOCH LR DIM WORD_NGRAMS BUCKET THREADS SEED [LOSS]
(TRAIN and TEST in fastText's format: __label__NAME then the tokens, one document a line.)
"""
import json
import sys
import time

import fasttext

train, test, epoch, lr, dim, ngrams, bucket, threads, seed = sys.argv[1:10]
loss = sys.argv[10] if len(sys.argv) > 10 else "softmax"
started = time.perf_counter()
model = fasttext.train_supervised(input=train, epoch=int(epoch), lr=float(lr), dim=int(dim), wordNgrams=int(ngrams),
                                  bucket=int(bucket), thread=int(threads), minCount=1, seed=int(seed), loss=loss, verbose=0)
trained = time.perf_counter()
n, precision, recall = model.test(test)
print(json.dumps({"train_seconds": trained - started, "test_documents": n, "p_at_1": precision, "words": len(model.words)}))
