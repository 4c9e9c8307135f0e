#!/usr/bin/env python3
"""Drives bench/fasttext: wordmill's fasttext-classifier against the fasttext package on the
WordNet glosses (45 lexicographer files), both on the same tokens: each gloss lowercased and
split into runs of word characters and single other characters, given to wordmill as a tsv
with the whitespace tokenizer and to fastText in its __label__ format. Prints P@1 (accuracy
on the test part), training seconds (wordmill's train stage; fastText's train_supervised, which
also reads the file and builds its dictionary), words/s per thread, wall time of the whole
process (wordmill: tsv → evaluation; fastText: train and test) and peak RSS."""
import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from measure import measured  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDMILL = os.path.join(ROOT, ".build/release/wordmill")
# name: (epoch, lr, dim, wordNgrams, bucket) — the two settings of issue 21.
SETTINGS = {
    "small": (5, 0.1, 100, 1, 0),
    "bigram": (25, 0.5, 10, 2, 2_000_000),
}


def tokens(text):
    return re.findall(r"\w+|[^\w\s]", text.lower())


def prepare(work):
    """Writes train/test in both formats; returns (paths, training words)."""
    paths, words = {}, 0
    for part in ("train", "test"):
        tsv, ft = os.path.join(work, f"{part}.tsv"), os.path.join(work, f"{part}.ft")
        with open(os.path.join(ROOT, f"corpora/wordnet/lexname.{part}.tsv"), encoding="utf-8") as src, \
                open(tsv, "w", encoding="utf-8") as a, open(ft, "w", encoding="utf-8") as b:
            lines = src.read().splitlines()
            # The corpus is sorted by class, and fastText trains in file order: both tools get
            # the same shuffled order (what the figures of issue 21 were measured on).
            random.Random(0).shuffle(lines)
            for line in lines:
                label, text = line.split("\t", 1)
                t = tokens(text)
                if part == "train":
                    words += len(t)
                a.write(f"{label}\t{' '.join(t)}\n")
                b.write(f"__label__{label} {' '.join(t)}\n")
        paths[part] = (tsv, ft)
    return paths, words


# wordmill's loss names and fastText's.
LOSSES = {"softmax": "softmax", "hierarchical": "hs", "one-vs-all": "ova"}


def wordmill(work, paths, setting, threads, seed, loss):
    epoch, lr, dim, ngrams, bucket = SETTINGS[setting]
    art = os.path.join(work, "artifacts")
    shutil.rmtree(art, ignore_errors=True)
    metrics = os.path.join(work, "metrics.json")
    spec = {"wordmill": 1, "name": "bench-fasttext", "artifacts": art, "stages": [
        {"name": "tokens", "op": "tokenize", "inputs": paths["train"][0], "test_inputs": paths["test"][0], "format": "tsv",
         "tokenizer": "whitespace"},
        {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 1},
        {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify"},
        {"name": "train", "op": "train", "from": "sequences", "model": "fasttext-classifier", "epochs": epoch, "lr": lr, "dim": dim,
         "word_ngrams": ngrams, "bucket": bucket, "threads": threads, "seed": seed, "loss": loss},
        {"name": "eval", "op": "evaluate", "from": ["train", "sequences"], "metrics": metrics},
    ]}
    path = os.path.join(work, "spec.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    out, wall, rss = measured([WORDMILL, "run", path, "--log-format", "json"])
    train = next(json.loads(l) for l in out.splitlines() if '"event":"ran"' in l and '"stage":"train"' in l)
    with open(metrics) as f:
        accuracy = json.load(f)["accuracy"]
    return {"wall": wall, "train": train["seconds"], "rss": rss, "p_at_1": accuracy}


def fasttext(args, work, paths, setting, threads, seed, loss):
    epoch, lr, dim, ngrams, bucket = SETTINGS[setting]
    out, wall, rss = measured([args.fasttext_python, os.path.join(ROOT, "bench/fasttext/fasttext_supervised.py"), paths["train"][1],
                               paths["test"][1], str(epoch), str(lr), str(dim), str(ngrams), str(bucket), str(threads), str(seed), LOSSES[loss]])
    r = json.loads(out.strip().splitlines()[-1])
    return {"wall": wall, "train": r["train_seconds"], "rss": rss, "p_at_1": r["p_at_1"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fasttext-python", required=True)
    ap.add_argument("--settings", default="small,bigram", help="comma-separated: " + ", ".join(SETTINGS))
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seeds", default="1")
    ap.add_argument("--losses", default="softmax", help="comma-separated: " + ", ".join(LOSSES))
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="wm-bench-fasttext-")
    try:
        paths, words = prepare(work)
        rows = []
        for setting in args.settings.split(","):
            for loss in args.losses.split(","):
                for threads in [int(t) for t in args.threads.split(",")]:
                    runs = []
                    for seed in [int(s) for s in args.seeds.split(",")]:
                        wm = wordmill(work, paths, setting, threads, seed, loss)
                        ft = fasttext(args, work, paths, setting, threads, seed, loss)
                        runs.append((wm, ft))
                        print(f"{setting} {loss} threads={threads} seed={seed}: wordmill P@1 {wm['p_at_1']:.4f} in {wm['train']:.2f}s, "
                              f"fastText P@1 {ft['p_at_1']:.4f} in {ft['train']:.2f}s", file=sys.stderr, flush=True)
                    mean = lambda i, k: sum(r[i][k] for r in runs) / len(runs)
                    rows.append((setting, loss, threads, {k: mean(0, k) for k in runs[0][0]}, {k: mean(1, k) for k in runs[0][1]}))
        print(f"\nWordNet glosses, 45 classes: {words:,} training words; means over seeds {args.seeds}\n")
        header = ("| setting | loss | threads | wordmill P@1 | fastText P@1 | Δ P@1 pt | wordmill train s | fastText train s | "
                  "wordmill words/s/thread | fastText words/s/thread | **speed** | wall s wm / ft | peak RSS wm / ft MB |")
        print(header)
        print("|" + "---|" * (header.count("|") - 1))
        for setting, loss, threads, wm, ft in rows:
            epoch = SETTINGS[setting][0]
            per_thread = lambda r: words * epoch / r["train"] / threads
            print(f"| {setting} {SETTINGS[setting]} | {loss} | {threads} | {wm['p_at_1']:.4f} | {ft['p_at_1']:.4f} | {100 * (wm['p_at_1'] - ft['p_at_1']):+.2f} | "
                  f"{wm['train']:.2f} | {ft['train']:.2f} | {per_thread(wm):,.0f} | {per_thread(ft):,.0f} | **{ft['train'] / wm['train']:.2f}×** | "
                  f"{wm['wall']:.2f} / {ft['wall']:.2f} | {wm['rss']:.0f} / {ft['rss']:.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
