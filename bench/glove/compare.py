#!/usr/bin/env python3
"""Drives bench/glove/run: GloVe on the gcide corpus with Stanford GloVe's benchmark settings
(window 10, min_count 5, dim 100, x_max 10, 15 epochs), in wordmill:

- co-occurrence counting with `memory_mb` ample (512) and small (32, forcing spills):
  wall time, tokens per second, peak RSS, runs spilled, nonzero pairs;
- training at 1 and 2 threads: wall time, entries per second over the stage and in the
  median epoch (the stage adds loading, the block's first full shuffle and the artifact), peak RSS;
- the vectors of each run scored by `wordmill evaluate` (questions-words restricted to
  30000 words with 3CosAdd, WordSim-353, SimLex-999), the evaluator the word2vec bench uses.

Stanford's tool: with --stanford DIR (a built checkout of https://github.com/stanfordnlp/GloVe,
its programs in DIR/build) its vocab_count, cooccur, shuffle and glove run on the same corpus
with the same settings in the same run, and the table gives the ratios. Without it the table
shows the figures the GloVe issue quotes for this kind of machine, marked as quoted.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from measure import measured  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDMILL = os.path.join(ROOT, ".build/release/wordmill")
CORPUS = os.path.join(ROOT, "corpora/gcide/gcide.txt")
EVAL = os.path.join(ROOT, "corpora/eval")
QUOTED = {"cooccur_s": 7.9 + 1.4, "cooccur_rss_mb": 769, "shuffle_s": 6.2, "train_s": 785.0, "entries": 11_700_000,
          "analogy": 0.066, "semantic": 0.174, "syntactic": 0.057, "wordsim353": 0.406, "simlex999": 0.242}


def spec(work, memory_mb, threads, epochs):
    stages = [
        {"name": "tokens", "op": "tokenize", "inputs": CORPUS, "tokenizer": "whitespace"},
        {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 5},
        {"name": "cooccurrence", "op": "cooccurrence", "from": ["tokens", "vocab"], "window": 10, "memory_mb": memory_mb},
        {"name": "glove", "op": "train", "from": "cooccurrence", "model": "glove", "dim": 100, "x_max": 10, "epochs": epochs,
         "threads": threads, "seed": 1},
        {"name": "export", "op": "export", "from": "glove", "format": "word2vec-binary", "path": os.path.join(work, "vectors.bin")},
    ]
    path = os.path.join(work, "spec.json")
    with open(path, "w") as f:
        json.dump({"wordmill": 1, "name": "bench-glove", "artifacts": os.path.join(work, "artifacts"), "stages": stages}, f)
    return path


def evaluate(vectors):
    out, _, _ = measured([WORDMILL, "evaluate", vectors, "--analogies", os.path.join(EVAL, "questions-words.txt"),
                          "--similarity", os.path.join(EVAL, "wordsim353.tsv"), "--similarity", os.path.join(EVAL, "simlex999.txt"),
                          "--method", "add", "--json"])
    m = json.loads(out[:out.rindex("}") + 1])
    a = next(iter(m["analogies"].values()))["3CosAdd"]
    s = {os.path.basename(k): v["spearman"] for k, v in m["similarities"].items()}
    return {"analogy": a["total"], "semantic": a["semantic"], "syntactic": a["syntactic"],
            "wordsim353": s["wordsim353.tsv"], "simlex999": s["simlex999.txt"]}


def stage_rate(output, stage):
    line = next(l for l in output.splitlines() if f"ran {stage} " in l)
    seconds = float(re.search(r" in ([0-9.]+) s", line).group(1))
    return line, seconds


def run_wordmill(epochs):
    results = {}
    with tempfile.TemporaryDirectory() as work:
        for memory_mb in (512, 32):
            path = spec(work, memory_mb, 1, epochs)
            measured([WORDMILL, "run", path, "--until", "vocab", "--quiet"])
            out, wall, rss = measured([WORDMILL, "run", path, "--only", "cooccurrence", "--force"], with_stderr=True)
            line, seconds = stage_rate(out, "cooccurrence")
            results[f"cooccur_{memory_mb}"] = {"wall": wall, "seconds": seconds, "rss": rss,
                                               "entries": int(re.search(r"(\d+) nonzero pairs", line).group(1)),
                                               "tokens": int(re.search(r"from (\d+) tokens", line).group(1)),
                                               "runs": int(re.search(r"(\d+) runs spilled", line).group(1))}
        for threads in (1, 2):
            path = spec(work, 512, threads, epochs)
            out, wall, rss = measured([WORDMILL, "run", path, "--only", "glove", "--force"], with_stderr=True)
            line, seconds = stage_rate(out, "glove")
            measured([WORDMILL, "run", path, "--only", "export", "--force", "--quiet"])
            epoch_rates = sorted(int(m) for m in re.findall(r"epoch \d+/\d+: loss [0-9.]+, (\d+) entries/s", out))
            results[f"train_{threads}"] = {"wall": wall, "seconds": seconds, "rss": rss,
                                           "rate": int(re.search(r"(\d+) entries/s", line).group(1)),
                                           "epoch_rate": epoch_rates[len(epoch_rates) // 2],
                                           "quality": evaluate(os.path.join(work, "vectors.bin"))}
    return results


def run_stanford(build, epochs):
    """Stanford's four programs as its demo.sh runs them, with the benchmark's settings."""
    with tempfile.TemporaryDirectory() as work:
        t = {}
        with open(CORPUS) as corpus, open(os.path.join(work, "vocab.txt"), "w") as out:
            started = time.perf_counter()
            subprocess.run([os.path.join(build, "vocab_count"), "-min-count", "5", "-verbose", "0"], stdin=corpus, stdout=out,
                           stderr=subprocess.DEVNULL, check=True)
            t["vocab_s"] = time.perf_counter() - started
        with open(CORPUS) as corpus, open(os.path.join(work, "cooccurrence.bin"), "w") as out:
            started = time.perf_counter()
            proc = subprocess.Popen([os.path.join(build, "cooccur"), "-memory", "4.0", "-vocab-file", "vocab.txt", "-verbose", "0",
                                     "-window-size", "10"], stdin=corpus, stdout=out, stderr=subprocess.DEVNULL, cwd=work)
            _, _, usage = os.wait4(proc.pid, 0)
            t["cooccur_s"], t["cooccur_rss_mb"] = time.perf_counter() - started, usage.ru_maxrss / 1024
        t["entries"] = os.path.getsize(os.path.join(work, "cooccurrence.bin")) // 16
        with open(os.path.join(work, "cooccurrence.bin")) as inp, open(os.path.join(work, "shuffled.bin"), "w") as out:
            started = time.perf_counter()
            subprocess.run([os.path.join(build, "shuffle"), "-memory", "4.0", "-verbose", "0", "-seed", "1"], stdin=inp, stdout=out,
                           stderr=subprocess.DEVNULL, check=True, cwd=work)
            t["shuffle_s"] = time.perf_counter() - started
        _, t["train_s"], t["train_rss_mb"] = measured([os.path.join(build, "glove"), "-save-file", "vectors", "-threads", "1",
                                                        "-input-file", "shuffled.bin", "-x-max", "10", "-iter", str(epochs), "-vector-size", "100",
                                                        "-binary", "0", "-vocab-file", "vocab.txt", "-verbose", "0", "-write-header", "1", "-seed", "1"], cwd=work)
        # glove.c appends an <unk> vector that its header does not count: drop it.
        path = os.path.join(work, "vectors.txt")
        with open(path) as f:
            lines = [l for l in f.read().split("\n") if l and not l.startswith("<unk> ")]
        with open(path, "w") as f:
            f.write(f"{len(lines) - 1} {lines[0].split()[1]}\n" + "\n".join(lines[1:]) + "\n")
        t.update(evaluate(path))
        return t


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--stanford", help="a built checkout of stanfordnlp/GloVe (programs in DIR/build)")
    parser.add_argument("--epochs", type=int, default=15)
    args = parser.parse_args()
    ours = run_wordmill(args.epochs)
    if args.stanford:
        theirs, source = run_stanford(os.path.join(args.stanford, "build"), args.epochs), "measured in this run"
        theirs["cooccur_s"] += theirs["vocab_s"]
    else:
        theirs, source = QUOTED, "quoted in the GloVe issue (15 epochs, one thread, a shared machine)"
    a, s = ours["cooccur_512"], ours["cooccur_32"]
    print(f"GloVe benchmark, gcide, window 10, min_count 5, dim 100, x_max 10, {args.epochs} epochs; Stanford GloVe {source}")
    print(f"\nco-occurrence counting      {'wall s':>8}{'M tokens/s':>12}{'peak RSS MB':>13}{'runs':>6}{'entries':>12}")
    for name, r in (("wordmill, memory_mb 512", a), ("wordmill, memory_mb 32", s)):
        print(f"{name:28}{r['wall']:8.2f}{r['tokens'] / r['seconds'] / 1e6:12.2f}{r['rss']:13.0f}{r['runs']:6d}{r['entries']:12d}")
    print(f"{'Stanford vocab_count+cooccur':28}{theirs['cooccur_s']:8.2f}{'':12}{theirs['cooccur_rss_mb']:13.0f}{'':6}{theirs['entries']:12d}")
    print(f"\ntraining                    {'wall s':>8}{'M entries/s':>12}{'per epoch':>10}{'peak RSS MB':>13}{'analogy':>9}{'sem':>7}{'syn':>7}{'WS353':>7}{'SL999':>7}")
    for threads in (1, 2):
        r = ours[f"train_{threads}"]
        q = r["quality"]
        print(f"{'wordmill, ' + str(threads) + ' thread' + ('s' if threads > 1 else ''):28}{r['wall']:8.2f}{r['rate'] / 1e6:12.2f}{r['epoch_rate'] / 1e6:10.2f}{r['rss']:13.0f}"
              f"{q['analogy']:9.3f}{q['semantic']:7.3f}{q['syntactic']:7.3f}{q['wordsim353']:7.3f}{q['simlex999']:7.3f}")
    rate = theirs["entries"] * args.epochs / theirs["train_s"]
    print(f"{'Stanford shuffle+glove, 1':28}{theirs['shuffle_s'] + theirs['train_s']:8.2f}{rate / 1e6:12.2f}{rate / 1e6:10.2f}{theirs.get('train_rss_mb', float('nan')):13.0f}"
          f"{theirs['analogy']:9.3f}{theirs['semantic']:7.3f}{theirs['syntactic']:7.3f}{theirs['wordsim353']:7.3f}{theirs['simlex999']:7.3f}")
    total_ours = a["wall"] + ours["train_1"]["wall"]
    total_theirs = theirs["cooccur_s"] + theirs["shuffle_s"] + theirs["train_s"]
    print(f"\nco-occurrence + training at one thread: wordmill {total_ours:.1f} s, Stanford {total_theirs:.1f} s: "
          f"{total_theirs / total_ours:.2f}x faster ({total_ours / total_theirs:.2f} of Stanford's time)")
    print(f"two threads train {ours['train_2']['epoch_rate'] / ours['train_1']['epoch_rate']:.2f}x as fast as one per epoch (median epoch), "
          f"{ours['train_2']['rate'] / ours['train_1']['rate']:.2f}x over the whole stage (loading, the first full shuffle and writing included)")


if __name__ == "__main__":
    main()
