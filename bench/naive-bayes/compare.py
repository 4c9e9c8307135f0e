#!/usr/bin/env python3
"""Drives bench/naive-bayes/run: on each WordNet labelling, runs scikit-learn (sklearn_nb.py:
CountVectorizer() + MultinomialNB(alpha=1), vectorize, fit, predict) and the same pipeline in
wordmill (tokenize with the sklearn tokenizer → vocab → bag-of-words → naive-bayes →
evaluate → predictions export), cold (a fresh artifact folder), alternating, N times; prints
medians of wall time and peak RSS, accuracy and macro-F1 of both, the share of test
documents whose predicted labels agree, and the time ratios.

scikit-learn's time is given two ways: its work (everything after the imports) and the
whole process (interpreter start and imports included); wordmill's is the whole process.
"""
import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from measure import measured  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDMILL = os.path.join(ROOT, ".build/release/wordmill")
CORPUS = os.path.join(ROOT, "corpora/wordnet")
SKLEARN = os.path.join(ROOT, "bench/naive-bayes/sklearn_nb.py")


def wordmill_spec(work, labelling):
    spec = {"wordmill": 1, "name": "bench-nb", "artifacts": os.path.join(work, "artifacts"), "stages": [
        {"name": "tokens", "op": "tokenize", "inputs": os.path.join(CORPUS, f"{labelling}.train.tsv"),
         "test_inputs": os.path.join(CORPUS, f"{labelling}.test.tsv"), "format": "tsv", "tokenizer": "sklearn"},
        {"name": "vocab", "op": "vocab", "from": "tokens"},
        {"name": "bow", "op": "bag-of-words", "from": ["tokens", "vocab"]},
        {"name": "nb", "op": "train", "from": "bow", "model": "naive-bayes", "variant": "multinomial", "alpha": 1.0},
        {"name": "eval", "op": "evaluate", "from": ["nb", "bow"], "metrics": os.path.join(work, "metrics.json")},
        {"name": "predictions", "op": "export", "from": "eval", "format": "predictions-csv", "path": os.path.join(work, "predictions.csv")},
    ]}
    path = os.path.join(work, "spec.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def run_wordmill(labelling):
    with tempfile.TemporaryDirectory() as work:
        spec = wordmill_spec(work, labelling)
        _, wall, rss = measured([WORDMILL, "run", spec, "--quiet"])
        with open(os.path.join(work, "metrics.json")) as f:
            metrics = json.load(f)
        with open(os.path.join(work, "predictions.csv")) as f:
            rows = sorted(csv.DictReader(f), key=lambda r: int(r["document"]))
        return {"wall": wall, "rss": rss, "accuracy": metrics["accuracy"], "macro_f1": metrics["macro_f1"],
                "predictions": [r["predicted"] for r in rows]}


def run_sklearn(python, labelling):
    with tempfile.TemporaryDirectory() as work:
        out = os.path.join(work, "predictions.txt")
        stdout, wall, rss = measured([python, SKLEARN, os.path.join(CORPUS, f"{labelling}.train.tsv"),
                                      os.path.join(CORPUS, f"{labelling}.test.tsv"), "--predictions", out])
        result = json.loads(stdout)
        with open(out) as f:
            result["predictions"] = f.read().split("\n")[:result["test_documents"]]
        result.update({"wall": wall, "rss": rss})
        return result


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sklearn-python", required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--labelling", choices=["lexname", "pos", "both"], default="both")
    args = parser.parse_args()
    labellings = ["lexname", "pos"] if args.labelling == "both" else [args.labelling]
    print(f"naive Bayes benchmark, WordNet glosses, {args.repeat} alternating runs each, medians; "
          f"{os.cpu_count()} cores (wordmill's tokenize and bag-of-words use one thread per core, scikit-learn one)")
    for labelling in labellings:
        ours, theirs = [], []
        for _ in range(args.repeat):
            theirs.append(run_sklearn(args.sklearn_python, labelling))
            ours.append(run_wordmill(labelling))
        w, s = ours[-1], theirs[-1]
        agree = sum(a == b for a, b in zip(w["predictions"], s["predictions"])) / len(s["predictions"])
        med = lambda runs, key: statistics.median(r[key] for r in runs)
        w_wall, s_wall, s_work = med(ours, "wall"), med(theirs, "wall"), med(theirs, "work_s")
        print(f"\n{labelling}: {s['train_documents']} train / {s['test_documents']} test documents, {s['classes']} classes, {s['features']} features (scikit-learn)")
        print(f"{'':28}{'wall s':>9}{'peak RSS MB':>13}{'accuracy':>10}{'macro-F1':>10}")
        print(f"{'wordmill (whole run, cold)':28}{w_wall:9.3f}{med(ours, 'rss'):13.0f}{w['accuracy']:10.4f}{w['macro_f1']:10.4f}")
        print(f"{'scikit-learn (process)':28}{s_wall:9.3f}{med(theirs, 'rss'):13.0f}{s['accuracy']:10.4f}{s['macro_f1']:10.4f}")
        print(f"{'scikit-learn (work only)':28}{s_work:9.3f}   (read {med(theirs, 'read_s'):.3f}, vectorize {med(theirs, 'vectorize_s'):.3f}, fit {med(theirs, 'fit_s'):.3f}, predict {med(theirs, 'predict_s'):.3f})")
        print(f"predictions agree on {agree * 100:.3f} % of test documents ({sum(a != b for a, b in zip(w['predictions'], s['predictions']))} differ)")
        print(f"speed-up: {s_wall / w_wall:.2f}x against scikit-learn's process, {s_work / w_wall:.2f}x against its work alone")


if __name__ == "__main__":
    main()
