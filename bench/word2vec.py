#!/usr/bin/env python3
"""Drives bench/word2vec: runs wordmill and gensim with the same settings on the gcide
corpus, alternating, at 1 and 2 threads, scores both systems' vectors with the same
evaluator (`wordmill evaluate`), and prints a table with the wordmill / gensim ratios.
gensim's vectors are scored in wordmill's word order (bench/reorder_vectors.py), so both
answer the same analogy questions.

Time: wall time of the whole process (corpus → vectors file). Training words/s: corpus
words × epochs / training seconds as each tool reports them. Peak RSS from wait4().
"""
import argparse
import re
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from measure import measured as run_measured  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORDMILL = os.path.join(ROOT, ".build/release/wordmill")
CORPORA = {
    # The 1913 Webster (corpora/gcide/build.py), and WordNet 3.0's glosses (corpora/wordnet/build.py,
    # then lowercased and split into words and punctuation here): two English corpora from Debian packages.
    "gcide": os.path.join(ROOT, "corpora/gcide/gcide.txt"),
    "wordnet": os.path.join(ROOT, "corpora/wordnet/glosses.txt"),
}
CORPUS = CORPORA["gcide"]
# Skip-gram with negative sampling costs about 6 · dim · (negative + 1) · (window + 1) flops a
# word: a dot product and two axpys per (context, output) pair, (window + 1) context words on
# average with the reduced window, dim 100, negative 5, window 5.
SKIPGRAM_FLOPS_PER_WORD = 6 * 100 * (5 + 1) * (5 + 1)
EVAL = os.path.join(ROOT, "corpora/eval")

CONFIGS = [  # name, sg, objective, lr; skip-gram negative is wordmill's default (shared negatives) against gensim's,
    # and -pairs is word2vec.c's pair-after-pair scheme (shared_negatives: false) against the same gensim run
    ("skipgram-negative", 1, "negative", 0.025),
    ("cbow-negative", 0, "negative", 0.05),
    ("skipgram-hierarchical", 1, "hierarchical", 0.025),
    ("skipgram-negative-pairs", 1, "negative", 0.025),
]


def run(cmd):
    """Runs a command to completion; returns (stdout, wall seconds, None)."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return proc.stdout, time.perf_counter() - started, None


def wordnet_glosses():
    """corpora/wordnet/glosses.txt: the glosses of both WordNet corpus parts, one per line, lowercased
    and split into runs of word characters and single other characters (as `tokenizer: words` would)."""
    path = CORPORA["wordnet"]
    if os.path.exists(path):
        return
    parts = [os.path.join(ROOT, "corpora/wordnet", f) for f in ("pos.train.tsv", "pos.test.tsv")]
    if not all(os.path.exists(p) for p in parts):
        subprocess.run([sys.executable, os.path.join(ROOT, "corpora/wordnet/build.py")], check=True)
    with open(path + ".tmp", "w", encoding="utf-8") as out:
        for part in parts:
            for line in open(part, encoding="utf-8"):
                out.write(" ".join(re.findall(r"\w+|[^\w\s]", line.rstrip("\n").split("\t", 1)[1].lower())) + "\n")
    os.replace(path + ".tmp", path)


def peak_flops(cores):
    """The single-precision FMA peak of `cores` of this machine in flop/s, measured by
    bench/fma_peak.c (8-lane AVX2 FMAs on every core used, at the clock the cores really run),
    the best of three runs."""
    binary = os.path.join(tempfile.gettempdir(), "wordmill-fma-peak")
    subprocess.run(["cc", "-O2", "-mavx2", "-mfma", "-pthread", os.path.join(ROOT, "bench/fma_peak.c"), "-o", binary], check=True)
    return max(float(subprocess.run([binary, str(cores)], check=True, capture_output=True, text=True).stdout) for _ in range(3)) * 1e9


def spread(values, fmt):
    """The mean, and the range over seeds when there are several."""
    mean = sum(values) / len(values)
    return fmt.format(mean) + (f" ({fmt.format(min(values))}–{fmt.format(max(values))})" if len(values) > 1 else "")


def wordmill_spec(work, corpus, sg, objective, lr, threads, epochs, seed, shared=False):
    kind = "skipgram" if sg else "cbow"
    train = {"name": "train", "op": "train", "from": "windows", "model": "word2vec", "objective": objective,
             "dim": 100, "lr": lr, "sample": 0.001, "epochs": epochs, "threads": threads, "seed": seed}
    if objective == "negative":
        train["negative"] = 5
        if sg and not shared:
            train["shared_negatives"] = False
    spec = {"wordmill": 1, "name": "bench", "artifacts": os.path.join(work, "artifacts"), "stages": [
        {"name": "tokens", "op": "tokenize", "inputs": corpus, "tokenizer": "whitespace"},
        {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 5},
        {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": kind, "window": 5},
        train,
        {"name": "export", "op": "export", "from": "train", "format": "word2vec-binary", "path": os.path.join(work, "vectors.bin")},
    ]}
    path = os.path.join(work, "spec.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def evaluate(vectors):
    out, _, _ = run([WORDMILL, "evaluate", vectors, "--analogies", os.path.join(EVAL, "questions-words.txt"),
                     "--similarity", os.path.join(EVAL, "wordsim353.tsv"), "--similarity", os.path.join(EVAL, "simlex999.txt"),
                     "--method", "add", "--json"])
    m = json.loads(out)
    a = next(iter(m["analogies"].values()))["3CosAdd"]
    s = m["similarities"]
    ws = next(v for k, v in s.items() if "wordsim" in k)
    sl = next(v for k, v in s.items() if "simlex" in k)
    return {"analogy": a["total"], "semantic": a["semantic"], "syntactic": a["syntactic"], "answered": a["answered"],
            "wordsim": ws["spearman"], "simlex": sl["spearman"]}


def run_pair(args, corpus, name, sg, objective, lr, threads, epochs, seed, score):
    """Runs wordmill's pipeline, then gensim, on one corpus with one configuration; returns their
    figures (wall, train seconds, peak RSS, vocabulary size, and the scores when `score`)."""
    work = tempfile.mkdtemp(prefix="wm-bench-")
    try:
        spec = wordmill_spec(work, corpus, sg, objective, lr, threads, epochs, seed, shared=not name.endswith("-pairs"))
        out, wall, rss = run_measured([WORDMILL, "run", spec, "--log-format", "json"])
        events = [json.loads(l) for l in out.splitlines() if '"event":"ran"' in l]
        train_seconds = next(e["seconds"] for e in events if e["stage"] == "train")
        vocab = next(e["counts"]["size"] for e in events if e["stage"] == "vocab")
        wm = {"wall": wall, "train": train_seconds, "rss": rss, "vocab": vocab}
        if score:
            wm.update(evaluate(os.path.join(work, "vectors.bin")))
        gvec = os.path.join(work, "gensim.bin")
        out, wall, rss = run_measured([args.gensim_python, os.path.join(ROOT, "bench/gensim_train.py"), corpus, gvec,
                                       str(sg), "1" if objective == "hierarchical" else "0",
                                       "5" if objective == "negative" else "0", str(lr), str(threads), str(epochs), str(seed)]
                                      + (["per-worker"] if args.gensim_per_worker_schedule else []))
        g = json.loads(out.strip().splitlines()[-1])
        gs = {"wall": wall, "train": g["train_seconds"], "rss": rss, "vocab": g["vocab_size"]}
        if score:
            ordered = os.path.join(work, "gensim-ordered.bin")
            run([args.gensim_python, os.path.join(ROOT, "bench/reorder_vectors.py"), gvec, os.path.join(work, "vectors.bin"), ordered])
            gs.update(evaluate(ordered))
        return wm, gs
    finally:
        shutil.rmtree(work, ignore_errors=True)


def scale_corpus(factor):
    """gcide itself for 1, else corpora/scale/gcide-xN.txt (built by corpora/scale/build.py when missing)."""
    if factor == 1:
        return CORPORA["gcide"]
    path = os.path.join(ROOT, f"corpora/scale/gcide-x{factor}.txt")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(ROOT, "corpora/scale/build.py"), str(factor)], check=True)
    return path


def scale(args, configs):
    """Speed on growing corpora: one epoch of each configuration at each size and thread count,
    wordmill then gensim, whole process and training alone, with the ratios."""
    factors = [int(f) for f in args.scale.split(",")]
    seed = int(args.seeds.split(",")[0])
    rows = []
    for factor in factors:
        corpus = scale_corpus(factor)
        words = sum(len(line.split()) for line in open(corpus, encoding="utf-8"))
        for name, sg, objective, lr in configs:
            for threads in [int(t) for t in args.threads.split(",")]:
                wm, gs = run_pair(args, corpus, name, sg, objective, lr, threads, 1, seed, score=False)
                rows.append((factor, words, name, threads, wm, gs))
                print(f"x{factor} {name} threads={threads}: wordmill {wm['wall']:.1f}s ({wm['train']:.1f}s train), "
                      f"gensim {gs['wall']:.1f}s ({gs['train']:.1f}s train)", file=sys.stderr, flush=True)
    print("\nGrowing corpora (corpora/scale/build.py), one epoch, dim 100, window 5, min_count 5, sample 1e-3, negative 5\n")
    header = ("| corpus | words | vocabulary | config | threads | wordmill wall s | gensim wall s | **whole process** | "
              "wordmill train words/s | gensim train words/s | **training** | wordmill µs/word | peak RSS wm / gs MB |")
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for factor, words, name, threads, wm, gs in rows:
        print(f"| gcide ×{factor} | {words:,} | {wm['vocab']:,} | {name} | {threads} | {wm['wall']:.1f} | {gs['wall']:.1f} | "
              f"**{gs['wall'] / wm['wall']:.2f}×** | {words / wm['train']:,.0f} | {words / gs['train']:,.0f} | "
              f"**{gs['train'] / wm['train']:.2f}×** | {wm['train'] / words * 1e6 * threads:.3f} | {wm['rss']:.0f} / {gs['rss']:.0f} |")
    by = {(f, n, t): wm for f, _, n, t, wm, _ in rows}
    for factor, words, name, threads, wm, _ in rows:
        if factor != factors[0] and (factors[0], name, threads) in by:
            base = next(r for r in rows if r[0] == factors[0] and r[2] == name and r[3] == threads)
            growth = (wm["train"] / words) / (base[4]["train"] / base[1])
            print(f"{name}, {threads} thread(s): training time per word at ×{factor} is {growth:.2f}× that at ×{factors[0]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gensim-python", required=True)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--seeds", default="1", help="comma-separated seeds; figures are averaged over them")
    ap.add_argument("--configs", help="comma-separated configuration names (default: all)")
    ap.add_argument("--corpus", choices=sorted(CORPORA), default="gcide", help="gcide (default) or wordnet (WordNet 3.0's glosses)")
    ap.add_argument("--gensim-per-worker-schedule", action="store_true",
                    help="let each gensim worker decay the learning rate over its own share of the corpus "
                         "(see bench/gensim_train.py); by default gensim runs as its users run it")
    ap.add_argument("--scale", help="comma-separated sizes of the growing corpora (e.g. 1,4,20): speed only, one epoch, "
                                    "skip-gram and CBOW with negative sampling unless --configs")
    args = ap.parse_args()
    global CORPUS
    CORPUS = CORPORA[args.corpus]
    if args.corpus == "wordnet":
        wordnet_glosses()
    epochs = 1 if args.quick else 5
    configs = CONFIGS[:1] if args.quick else CONFIGS
    if args.configs:
        wanted = args.configs.split(",")
        unknown = set(wanted) - {c[0] for c in CONFIGS}
        if unknown:
            ap.error(f"unknown configuration {', '.join(sorted(unknown))}; known: {', '.join(c[0] for c in CONFIGS)}")
        configs = [c for c in configs if c[0] in wanted]
    if args.scale:
        return scale(args, configs if args.configs else [c for c in CONFIGS if c[0] in ("skipgram-negative", "cbow-negative")])
    corpus_words = sum(len(line.split()) for line in open(CORPUS, encoding="utf-8"))
    rows = []
    for name, sg, objective, lr in configs:
        for threads in [int(t) for t in args.threads.split(",")]:
            runs = []
            for seed in [int(x) for x in args.seeds.split(",")]:
                wm, gs = run_pair(args, CORPUS, name, sg, objective, lr, threads, epochs, seed, score=True)
                runs.append((wm, gs))
                print(f"{name} threads={threads} seed={seed}: wordmill {wm['train']:.1f}s train, analogy {wm['analogy']:.3f}; "
                      f"gensim {gs['train']:.1f}s train, analogy {gs['analogy']:.3f} ({wm['answered']} questions each); "
                      f"WS-353 {wm['wordsim']:.3f} / {gs['wordsim']:.3f}, SimLex {wm['simlex']:.3f} / {gs['simlex']:.3f}",
                      file=sys.stderr, flush=True)
            mean = lambda k, i: sum(r[i][k] for r in runs) / len(runs)
            keys = runs[0][0].keys()
            rows.append((name, threads, {k: mean(k, 0) for k in keys}, {k: mean(k, 1) for k in keys}, runs))
    words = corpus_words * epochs
    print(f"\n{args.corpus} corpus: {corpus_words} words, {epochs} epochs, dim 100, window 5, min_count 5, sample 1e-3; "
          f"means over seeds {args.seeds}\n")
    header = "| config | threads | system | wall s | train s | words/s | peak RSS MB | analogy | sem | syn | WS-353 | SimLex |"
    print(header)
    print("|" + "---|" * (header.count("|") - 1))
    for name, threads, wm, gs, _ in rows:
        for system, r in (("wordmill", wm), ("gensim", gs)):
            print(f"| {name} | {threads} | {system} | {r['wall']:.1f} | {r['train']:.1f} | {words / r['train']:,.0f} | {r['rss']:.0f} | "
                  f"{r['analogy']:.3f} | {r['semantic']:.3f} | {r['syntactic']:.3f} | {r['wordsim']:.3f} | {r['simlex']:.3f} |")
        print(f"| {name} | {threads} | **ratio** | {wm['wall'] / gs['wall']:.2f} | {wm['train'] / gs['train']:.2f} | "
              f"**{gs['train'] / wm['train']:.2f}×** | {wm['rss'] / gs['rss']:.2f} | {wm['analogy'] - gs['analogy']:+.3f} | "
              f"{wm['semantic'] - gs['semantic']:+.3f} | {wm['syntactic'] - gs['syntactic']:+.3f} | {wm['wordsim'] - gs['wordsim']:+.3f} | {wm['simlex'] - gs['simlex']:+.3f} |")
    if len(args.seeds.split(",")) > 1:
        print("\nMean and range over the seeds:\n")
        print("| config | threads | system | train s | analogy | WS-353 | SimLex |")
        print("|---|---|---|---|---|---|---|")
        for name, threads, _, _, runs in rows:
            for i, system in enumerate(("wordmill", "gensim")):
                cell = lambda k, fmt: spread([r[i][k] for r in runs], fmt)
                print(f"| {name} | {threads} | {system} | {cell('train', '{:.1f}')} | {cell('analogy', '{:.3f}')} | "
                      f"{cell('wordsim', '{:.3f}')} | {cell('simlex', '{:.3f}')} |")
    for name, threads, wm, _, _ in rows:
        if name.startswith("skipgram-negative"):
            achieved, peak = words / wm["train"] * SKIPGRAM_FLOPS_PER_WORD, peak_flops(threads)
            print(f"\n{name}, {threads} thread{'s' if threads > 1 else ''}: {achieved / 1e9:.1f} GFLOP/s at "
                  f"{SKIPGRAM_FLOPS_PER_WORD:,} flops a corpus word, {achieved / peak:.1%} of the single-precision FMA "
                  f"peak of {threads} core{'s' if threads > 1 else ''} ({peak / 1e9:.0f} GFLOP/s measured by bench/fma_peak.c)")
    by = {(n, t): (w, g) for n, t, w, g, _ in rows}
    for name, _, _, _ in configs:
        if (name, 1) in by and (name, 2) in by:
            print(f"\n{name}: wordmill 2 threads / 1 thread = {by[(name, 1)][0]['train'] / by[(name, 2)][0]['train']:.2f}×, "
                  f"gensim {by[(name, 1)][1]['train'] / by[(name, 2)][1]['train']:.2f}×")


if __name__ == "__main__":
    main()
