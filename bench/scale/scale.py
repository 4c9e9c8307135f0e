#!/usr/bin/env python3
"""Drives bench/scale/run: wordmill's data stages and one epoch of training on the growing
corpora of corpora/scale/build.py (gcide ×N with a fifth of the words renamed in each copy),
one stage at a time (`wordmill run SPEC --only STAGE`): wall seconds, peak RSS and time per
corpus word, and how the per-word time grows from the smallest corpus to each larger one.
Beside them: gensim's word2vec (one epoch, 2 workers) and, with --stanford DIR (a built
checkout of stanfordnlp/GloVe), Stanford's cooccur with the same memory budget. Then the
sharded stages (tokenize, vocab, cooccurrence) in N shards run one after another plus their
merge, each merged artifact checked to be the unsharded one byte for byte.
"""
import argparse
import collections
import filecmp
import json
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
from measure import measured  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(HERE))
WORDMILL = os.environ.get("WORDMILL_BIN", os.path.join(ROOT, ".build/release/wordmill"))
STAGES = ["tokens", "vocab", "windows", "cooccurrence", "glove", "sequences"]
SHARDED = ["tokens", "vocab", "cooccurrence"]
GLOVE_DIM = 100


def corpus_path(factor):
    """gcide itself for 1, else corpora/scale/gcide-xN.txt (built when missing)."""
    if factor == 1:
        return os.path.join(ROOT, "corpora/gcide/gcide.txt")
    path = os.path.join(ROOT, f"corpora/scale/gcide-x{factor}.txt")
    if not os.path.exists(path):
        subprocess.run([sys.executable, os.path.join(ROOT, "corpora/scale/build.py"), str(factor)], check=True)
    return path


def spec(work, corpus, shards=None):
    """The measured pipeline; `shards` splits tokenize, vocab and cooccurrence."""
    split = {"shards": shards} if shards else {}
    return {"wordmill": 1, "name": "scale", "artifacts": os.path.join(work, "artifacts"), "stages": [
        {"name": "tokens", "op": "tokenize", "inputs": corpus, "tokenizer": "whitespace", **split},
        {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 5, **split},
        {"name": "windows", "op": "windows", "from": ["tokens", "vocab"], "kind": "skipgram", "window": 5},
        {"name": "cooccurrence", "op": "cooccurrence", "from": ["tokens", "vocab"], "window": 10, "memory_mb": 512, **split},
        {"name": "glove", "op": "train", "from": "cooccurrence", "model": "glove", "dim": GLOVE_DIM, "epochs": 1, "threads": 2, "seed": 1},
        {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "lm"},
    ]}


def corpus_shape(corpus):
    """Words, distinct types D and their UTF-8 bytes, vocabulary V (min_count 5) and its bytes,
    counted in a child process so that the driver stays small beside the stages it measures
    (bench/measure.py says why a large driver once skewed their peaks)."""
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--shape", corpus], capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def count_shape(corpus):
    """`corpus_shape`'s counting, run in the child."""
    counts = collections.Counter()
    for line in open(corpus, encoding="utf-8"):
        counts.update(line.split())
    words = sum(counts.values())
    kept = [w for w, c in counts.items() if c >= 5]
    return {"words": words, "D": len(counts), "keys_D": sum(len(w.encode()) for w in counts),
            "V": len(kept), "keys_V": sum(len(w.encode()) for w in kept)}


def vocabulary_tables(stage, shape):
    """Bytes of a stage's vocabulary-sized tables (upper bounds, worked out from their layouts):
    what may grow with the vocabulary or the distinct types, never with the corpus.

    - The in-memory vocabulary (`Vocabulary`): 52 bytes an entry (string, counts, first id, the
      token table's starts and hashes), its key bytes, and 16-byte table slots, a power of two
      at least 2 V.
    - tokens: the counter's 64-byte slots, a power of two at least D / 0.7, beside the half-size
      table it grew from while it doubles; 28 bytes a type for counts and ends; the key bytes.
    - vocab: the stored counts (26 bytes a type, their key bytes twice), 32 bytes a kept word.
    - windows: the vocabulary and 8 bytes a word; cooccurrence: the vocabulary, the dense
      table's row starts and the first dense row of each of four workers (72 bytes a word).
    - glove: vectors, biases and AdaGrad state, 16 · V · (dim + 1), and the vocabulary.
    - sequences: the vocabulary and 20 bytes a word (model tokens and ids).
    """
    D, V = shape["D"], shape["V"]
    power = lambda n: 1 << max(0, (n - 1).bit_length())
    vocabulary = 52 * V + shape["keys_V"] + 16 * power(2 * V)
    return {
        "tokens": 96 * power(int(D / 0.7) + 1) + 28 * D + shape["keys_D"],
        "vocab": 26 * D + 2 * shape["keys_D"] + 32 * V + (1 << 19),
        "windows": vocabulary + 8 * V,
        "cooccurrence": vocabulary + 72 * V,
        "glove": 16 * V * (GLOVE_DIM + 1) + vocabulary,
        "sequences": vocabulary + 20 * V,
    }[stage] / 1e6


def write_spec(work, corpus, shards=None):
    path = os.path.join(work, f"spec-{shards or 'whole'}.json")
    with open(path, "w") as f:
        json.dump(spec(work if not shards else os.path.join(work, "sharded"), corpus, shards), f)
    return path


def run_stages(spec_path):
    """Each stage alone: {stage: (seconds, peak RSS MB)}."""
    out = {}
    for stage in STAGES:
        _, wall, rss = measured([WORDMILL, "run", spec_path, "--only", stage, "--quiet"])
        out[stage] = (wall, rss)
    _, wall, _ = measured([WORDMILL, "run", spec_path, "--quiet"])
    out["rerun"] = (wall, 0)
    return out


def run_shards(spec_path, shards):
    """Each sharded stage: its N shards one after another, then the merge; the others whole."""
    out = {}
    for stage in STAGES:
        if stage not in SHARDED:
            measured([WORDMILL, "run", spec_path, "--only", stage, "--quiet"])
            continue
        walls, peak = [], 0.0
        for i in range(shards):
            _, wall, rss = measured([WORDMILL, "run", spec_path, "--only", stage, "--shard", f"{i}/{shards}", "--quiet"])
            walls.append(wall)
            peak = max(peak, rss)
        _, merge, merge_rss = measured([WORDMILL, "run", spec_path, "--only", stage, "--merge", "--quiet"])
        out[stage] = (sum(walls), max(walls), peak, merge, merge_rss)
    return out


def gensim(corpus, python, work):
    """gensim's skip-gram, one epoch, 2 workers: (seconds, peak RSS MB)."""
    _, wall, rss = measured([python, os.path.join(ROOT, "bench/gensim_train.py"), corpus, os.path.join(work, "gensim.bin"),
                             "1", "0", "5", "0.025", "2", "1", "1"])
    return wall, rss


def stanford_cooccur(build, corpus, work):
    """Stanford's cooccur (window 10, -memory 0.5, symmetric) on the vocabulary of its
    vocab_count, which runs first, untimed as wordmill's vocab stage is: (seconds, MB)."""
    vocab = os.path.join(work, "vocab.txt")
    with open(corpus, "rb") as inp, open(vocab, "wb") as out:
        subprocess.run([os.path.join(build, "vocab_count"), "-min-count", "5", "-verbose", "0"], stdin=inp, stdout=out, check=True)
    script = f"'{os.path.join(build, 'cooccur')}' -memory 0.5 -vocab-file '{vocab}' -verbose 0 -window-size 10 -overflow-file '{work}/overflow' < '{corpus}' > '{work}/cooc.bin'"
    _, wall, rss = measured(["bash", "-c", script])
    return wall, rss


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--shape":
        print(json.dumps(count_shape(sys.argv[2])))
        return
    ap = argparse.ArgumentParser()
    ap.add_argument("--scales", default="1,4,20")
    ap.add_argument("--shards", type=int, default=4)
    ap.add_argument("--stanford", help="a built checkout of stanfordnlp/GloVe (programs in DIR/build)")
    ap.add_argument("--gensim-python", default=sys.executable)
    args = ap.parse_args()
    factors = [int(f) for f in args.scales.split(",")]
    rows = {}
    for factor in factors:
        corpus = corpus_path(factor)
        shape = corpus_shape(corpus)
        words = shape["words"]
        work = tempfile.mkdtemp(prefix=f"wm-scale-x{factor}-")
        try:
            whole = run_stages(write_spec(work, corpus))
            vocab = json.loads(subprocess.run([WORDMILL, "inspect", os.path.join(work, "artifacts/vocab.wma"), "--json"],
                                              capture_output=True, text=True, check=True).stdout)["counts"]["size"]
            sharded = run_shards(write_spec(work, corpus, args.shards), args.shards)
            same = all(filecmp.cmp(os.path.join(work, "artifacts", f"{s}.wma"), os.path.join(work, "sharded/artifacts", f"{s}.wma"), shallow=False)
                       for s in SHARDED)
            peers = {"gensim": gensim(corpus, args.gensim_python, work)}
            if args.stanford:
                peers["cooccur"] = stanford_cooccur(os.path.join(args.stanford, "build"), corpus, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        rows[factor] = (words, vocab, whole, sharded, same, peers, shape)
        print(f"x{factor}: {words:,} words, {shape['D']:,} distinct, vocabulary {vocab:,} (by Python's split: {shape['V']:,}); sharded artifacts identical: {same}", file=sys.stderr, flush=True)

    print(f"\nGrowing corpora (corpora/scale/build.py): wall seconds and peak RSS of each stage alone "
          f"(`wordmill run SPEC --only STAGE`); cooccurrence window 10, memory_mb 512; glove and gensim one epoch, 2 threads\n")
    first, last = factors[0], factors[-1]
    head = ("| stage | " + " | ".join(f"×{f}: {rows[f][0] / 1e6:.1f} M words, vocab {rows[f][1] // 1000} k" for f in factors)
            + f" | per-word time ×{last} / ×{first} | vocabulary-sized tables at ×{last} | peak ×{last} ≤ 1.25 · ×{first} + tables |")
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for stage in STAGES + ["rerun"]:
        cells = []
        for f in factors:
            wall, rss = rows[f][2][stage]
            cells.append(f"{wall:.2f} s" + (f", {rss:.0f} MB" if rss else ""))
        growth = (rows[last][2][stage][0] / rows[last][0]) / (rows[first][2][stage][0] / rows[first][0])
        if stage in STAGES:
            tables = vocabulary_tables(stage, rows[last][6])
            limit = 1.25 * rows[first][2][stage][1] + tables
            bound = f" {tables:.0f} MB | {'yes' if rows[last][2][stage][1] <= limit else 'NO'} ({limit:.0f} MB) |"
        else:
            bound = " | |"
        print(f"| {stage} | " + " | ".join(cells) + f" | {growth:.2f} |" + bound)
    for peer, label in [("gensim", "gensim word2vec skip-gram (1 epoch, 2 workers)"), ("cooccur", "Stanford cooccur -memory 0.5 (its vocab_count untimed)")]:
        if peer not in rows[first][5]:
            continue
        cells = [f"{rows[f][5][peer][0]:.2f} s, {rows[f][5][peer][1]:.0f} MB" for f in factors]
        growth = (rows[last][5][peer][0] / rows[last][0]) / (rows[first][5][peer][0] / rows[first][0])
        print(f"| {label} | " + " | ".join(cells) + f" | {growth:.2f} | | |")
    if "cooccur" in rows[first][5]:
        print("\ncooccurrence speed against Stanford's cooccur: " + ", ".join(
            f"×{f} {rows[f][5]['cooccur'][0] / rows[f][2]['cooccurrence'][0]:.2f}×" for f in factors))
    print(f"\nIn {args.shards} shards one after another (sum of the shards' seconds, the slowest shard, the largest shard's "
          f"peak RSS), then the merge; every merged artifact equals the unsharded one byte for byte: "
          + ", ".join(f"×{f} {'yes' if rows[f][4] else 'NO'}" for f in factors) + "\n")
    head = "| stage | " + " | ".join(f"×{f} shards (sum / slowest / MB)" + f" | ×{f} merge" for f in factors) + " |"
    print(head)
    print("|" + "---|" * (head.count("|") - 1))
    for stage in SHARDED:
        cells = []
        for f in factors:
            total, slowest, rss, merge, merge_rss = rows[f][3][stage]
            cells.append(f"{total:.2f} s / {slowest:.2f} s / {rss:.0f} MB | {merge:.2f} s, {merge_rss:.0f} MB")
        print(f"| {stage} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
