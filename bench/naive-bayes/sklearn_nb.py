"""The scikit-learn side of the Naive Bayes benchmark: CountVectorizer + MultinomialNB.

Reads TRAIN.tsv and TEST.tsv ("label<TAB>text" lines, split on the first tab; blank lines
skipped), fits CountVectorizer() (defaults) on the training texts, fits MultinomialNB(alpha),
transforms and predicts the test texts, and prints one JSON object on stdout:
  read_s, vectorize_s (fit_transform on train), fit_s, predict_s (transform + predict test),
  work_s (everything after the imports: reading, the phases, metrics, writing predictions),
  import_s, peak_rss_mb (ru_maxrss), accuracy, macro_f1 (sklearn.metrics),
  train_documents, test_documents, features, classes.
With --predictions OUT.txt it writes the predicted label of each test document, one a line.

Usage (from the repository root):
  bench/.venv-sklearn/bin/python bench/naive-bayes/sklearn_nb.py TRAIN.tsv TEST.tsv \
      [--predictions OUT.txt] [--alpha 1.0]
"""
import time

started = time.perf_counter()
import argparse  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402

from sklearn.feature_extraction.text import CountVectorizer  # noqa: E402
from sklearn.metrics import accuracy_score, f1_score  # noqa: E402
from sklearn.naive_bayes import MultinomialNB  # noqa: E402


def read_tsv(path):
    labels, texts = [], []
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line:
                continue
            label, tab, text = line.partition("\t")
            if not tab:
                raise SystemExit(f"{path}:{number}: no tab")
            labels.append(label)
            texts.append(text)
    return labels, texts


def main():
    imported = time.perf_counter()
    parser = argparse.ArgumentParser(description="CountVectorizer + MultinomialNB benchmark")
    parser.add_argument("train")
    parser.add_argument("test")
    parser.add_argument("--predictions")
    parser.add_argument("--alpha", type=float, default=1.0)
    args = parser.parse_args()

    t0 = time.perf_counter()
    train_labels, train_texts = read_tsv(args.train)
    test_labels, test_texts = read_tsv(args.test)
    t1 = time.perf_counter()
    vectorizer = CountVectorizer()
    x_train = vectorizer.fit_transform(train_texts)
    t2 = time.perf_counter()
    clf = MultinomialNB(alpha=args.alpha).fit(x_train, train_labels)
    t3 = time.perf_counter()
    predicted = clf.predict(vectorizer.transform(test_texts))
    t4 = time.perf_counter()

    accuracy = accuracy_score(test_labels, predicted)
    macro_f1 = f1_score(test_labels, predicted, average="macro", zero_division=0)
    if args.predictions:
        with open(args.predictions, "w", encoding="utf-8") as f:
            f.writelines(f"{label}\n" for label in predicted)
    done = time.perf_counter()
    print(json.dumps({
        "read_s": t1 - t0, "vectorize_s": t2 - t1, "fit_s": t3 - t2, "predict_s": t4 - t3,
        "work_s": done - imported, "import_s": imported - started,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "accuracy": float(accuracy), "macro_f1": float(macro_f1),
        "train_documents": len(train_texts), "test_documents": len(test_texts),
        "features": len(vectorizer.vocabulary_), "classes": len(clf.classes_),
    }))


if __name__ == "__main__":
    main()
