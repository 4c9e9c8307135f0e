#!/usr/bin/env python3
"""Drives bench/fasttext --subwords: wordmill's `fasttext` subword skip-gram against the fasttext
package on gcide, both with fastText's unsupervised defaults (dim 100, ws 5, neg 5, minCount 5,
minn 3, maxn 6, t 1e-4, lr 0.05). 5 % of the vocabulary's words (seeded choice) are removed
from the corpus before training, so both tools learn on the same 95 %, and so are the words
under min_count, which fastText would count toward an epoch without training on them (on the
raw corpus its epochs run 5 % long); analogy, WS-353 and
SimLex-999 are scored by the same evaluator (`wordmill evaluate`; pairs with a removed word
are skipped there), and the similarity pairs holding a removed word are scored apart with
the vectors each tool builds for unseen words from their character n-grams (Spearman's ρ).
Prints seconds of training (fastText's train_unsupervised also reads the corpus and builds
its dictionary; wordmill's train stage reads the windows artifact), words/s per thread and
peak RSS of the whole process."""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from measure import measured  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDMILL = os.environ.get("WORDMILL_BIN", os.path.join(ROOT, ".build/release/wordmill"))
EVAL = os.path.join(ROOT, "corpora/eval")
SIMILARITIES = ["wordsim353.tsv", "simlex999.txt"]


def pairs(name):
    rows = []
    for line in open(os.path.join(EVAL, name), encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        a, b, score = line.split("\t")[:3]
        rows.append((a.lower(), b.lower(), float(score)))
    return rows


def prepare(work):
    """The corpus without the held-out words; returns (path, corpus words, held-out pairs)."""
    lines = open(os.path.join(ROOT, "corpora/gcide/gcide.txt"), encoding="utf-8").read().splitlines()
    counts = {}
    for line in lines:
        for w in line.split():
            counts[w] = counts.get(w, 0) + 1
    vocabulary = sorted(w for w, c in counts.items() if c >= 5)
    held = set(random.Random(0).sample(vocabulary, len(vocabulary) // 20))
    # Words under min_count go too: fastText counts them in the tokens an epoch must reach
    # but not in the tokens it trains on, so on the raw corpus it trains 5 % beyond each
    # epoch (its loop runs until the trained tokens reach epochs x all tokens read).
    kept_words = set(vocabulary) - held
    path, words = os.path.join(work, "corpus.txt"), 0
    with open(path, "w", encoding="utf-8") as f:
        for line in lines:
            kept = [w for w in line.split() if w in kept_words]
            words += len(kept)
            f.write(" ".join(kept) + "\n")
    unseen = [(a, b, s) for name in SIMILARITIES for a, b, s in pairs(name) if a in held or b in held]
    return path, words, unseen


def spearman(xs, ys):
    def ranks(v):
        order = sorted(range(len(v)), key=lambda i: v[i])
        r = [0.0] * len(v)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
                j += 1
            for k in range(i, j + 1):
                r[order[k]] = (i + j) / 2
            i = j + 1
        return r
    a, b = ranks(xs), ranks(ys)
    ma, mb = sum(a) / len(a), sum(b) / len(b)
    cov = sum((x - ma) * (y - mb) for x, y in zip(a, b))
    return cov / (sum((x - ma) ** 2 for x in a) * sum((y - mb) ** 2 for y in b)) ** 0.5


def unseen_score(vector_file, unseen):
    vectors = {}
    for line in open(vector_file, encoding="utf-8"):
        w, *v = line.split()
        vectors[w] = [float(x) for x in v]
    def cos(a, b):
        na, nb = sum(x * x for x in a) ** 0.5, sum(x * x for x in b) ** 0.5
        return sum(x * y for x, y in zip(a, b)) / (na * nb) if na > 0 and nb > 0 else 0.0
    return spearman([cos(vectors[a], vectors[b]) for a, b, _ in unseen], [s for _, _, s in unseen])


def metrics(path):
    m = json.load(open(path))
    pick = lambda table, name: next(v for k, v in table.items() if os.path.basename(k) == name)
    analogy = pick(m["analogies"], "questions-words.txt")["3CosAdd"]["total"]
    return analogy, pick(m["similarities"], "wordsim353.tsv")["spearman"], pick(m["similarities"], "simlex999.txt")["spearman"]


def wordmill(work, corpus, unseen, epochs, threads, seed):
    art = os.path.join(work, "artifacts")
    shutil.rmtree(art, ignore_errors=True)
    spec = {"wordmill": 1, "name": "bench-subwords", "artifacts": art, "stages": [
        {"name": "tokens", "op": "tokenize", "inputs": corpus, "tokenizer": "whitespace"},
        {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 5},
        {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 5},
        {"name": "train", "op": "train", "from": "windows", "model": "fasttext", "epochs": epochs, "threads": threads, "seed": seed},
        {"name": "eval", "op": "evaluate", "from": "train", "analogies": os.path.join(EVAL, "questions-words.txt"),
         "similarities": [os.path.join(EVAL, n) for n in SIMILARITIES], "metrics": os.path.join(work, "metrics.json")},
    ]}
    path = os.path.join(work, "spec.json")
    json.dump(spec, open(path, "w"))
    out, wall, rss = measured([WORDMILL, "run", path, "--log-format", "json"])
    train = next(json.loads(l) for l in out.splitlines() if '"event":"ran"' in l and '"stage":"train"' in l)
    words = sorted({w for a, b, _ in unseen for w in (a, b)})
    vectors, _, _ = measured([WORDMILL, "vectors", os.path.join(art, "train.wma")] + words)
    with open(os.path.join(work, "wm-oov.txt"), "w", encoding="utf-8") as f:
        f.write(vectors)
    return {"train": train["seconds"], "wall": wall, "rss": rss, "scores": metrics(os.path.join(work, "metrics.json")) + (unseen_score(os.path.join(work, "wm-oov.txt"), unseen),)}


def fasttext(args, work, corpus, unseen, epochs, threads, seed):
    words = os.path.join(work, "oov-words.txt")
    with open(words, "w", encoding="utf-8") as f:
        f.write("\n".join(sorted({w for a, b, _ in unseen for w in (a, b)})) + "\n")
    out, wall, rss = measured([args.fasttext_python, os.path.join(ROOT, "bench/fasttext/fasttext_unsupervised.py"), corpus, str(epochs),
                               str(threads), str(seed), work, words])
    r = json.loads(out.strip().splitlines()[-1])
    evaluation, _, _ = measured([WORDMILL, "evaluate", os.path.join(work, "vectors.txt"), "--analogies", os.path.join(EVAL, "questions-words.txt"),
                                 "--similarity", os.path.join(EVAL, SIMILARITIES[0]), "--similarity", os.path.join(EVAL, SIMILARITIES[1]), "--json"])
    path = os.path.join(work, "ft-metrics.json")
    with open(path, "w") as f:
        f.write(evaluation)
    return {"train": r["train_seconds"], "wall": wall, "rss": rss, "scores": metrics(path) + (unseen_score(os.path.join(work, "oov.txt"), unseen),)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--fasttext-python", required=True)
    ap.add_argument("--epochs", default="1,5")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seeds", default="1,2,3")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="wm-bench-subwords-")
    try:
        corpus, words, unseen = prepare(work)
        rows = []
        for epochs in [int(e) for e in args.epochs.split(",")]:
            for threads in [int(t) for t in args.threads.split(",")]:
                runs = []
                for seed in [int(s) for s in args.seeds.split(",")]:
                    wm = wordmill(work, corpus, unseen, epochs, threads, seed)
                    ft = fasttext(args, work, corpus, unseen, epochs, threads, seed)
                    runs.append((wm, ft))
                    print(f"epochs={epochs} threads={threads} seed={seed}: wordmill {wm['train']:.1f}s {wm['scores']}, "
                          f"fastText {ft['train']:.1f}s {ft['scores']}", file=sys.stderr, flush=True)
                rows.append((epochs, threads, runs))
        print(f"\ngcide with 5 % of the vocabulary held out: {words:,} words; {len(unseen)} WS-353/SimLex-999 pairs hold a held-out word; "
              f"means (± half the range) over seeds {args.seeds}\n")
        header = ("| epochs | threads | analogy wm / ft | WS-353 wm / ft | SimLex-999 wm / ft | unseen-word ρ wm / ft | "
                  "train s wm / ft | words/s/thread wm / ft | **speed** | peak RSS MB wm / ft |")
        print(header)
        print("|" + "---|" * (header.count("|") - 1))
        for epochs, threads, runs in rows:
            def stat(i, k):
                values = [r[i]["scores"][k] for r in runs]
                return f"{sum(values) / len(values):.4f}±{(max(values) - min(values)) / 2:.4f}"
            mean = lambda i, key: sum(r[i][key] for r in runs) / len(runs)
            per_thread = lambda i: words * epochs / mean(i, "train") / threads
            print(f"| {epochs} | {threads} | " + " | ".join(f"{stat(0, k)} / {stat(1, k)}" for k in range(4)) +
                  f" | {mean(0, 'train'):.1f} / {mean(1, 'train'):.1f} | {per_thread(0):,.0f} / {per_thread(1):,.0f} | "
                  f"**{mean(1, 'train') / mean(0, 'train'):.2f}×** | {mean(0, 'rss'):.0f} / {mean(1, 'rss'):.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
