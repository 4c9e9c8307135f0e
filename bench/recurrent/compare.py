#!/usr/bin/env python3
"""Drives bench/recurrent/run: wordmill against PyTorch (bench/recurrent/pytorch_rnn.py) on the
WordNet lexname gloss classification, same data, same vocabulary rule, same model and
optimiser (embedding 128, hidden 256, batch 64, packed, Adam 1e-3), for RNN, LSTM and GRU
(1 layer) and a 2-layer bidirectional LSTM, at each thread count asked for, in one run.

For each configuration it prints training and inference tokens per second, peak RSS and test
accuracy of both tools and the speed ratios (wordmill / PyTorch). `--docs N` keeps the first N
training documents (and N/4 test documents) for a quick look; the issue's figures are with all
of them and 3 epochs. The last lines give the GFLOP/s of the LSTM's training (6·(E+H)·4H
floating-point operations per token per layer and direction: forward, and backward twice)
next to a plain single-thread sgemm on this machine (numpy's OpenBLAS, sgemm_peak.py).
"""
import argparse
import json
import os
import re
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from measure import measured  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDMILL = os.path.join(ROOT, ".build/release/wordmill")
CORPUS = os.path.join(ROOT, "corpora/wordnet")
CONFIGS = {
    "rnn": ("rnn", 1, False), "lstm": ("lstm", 1, False), "gru": ("gru", 1, False), "bilstm2": ("lstm", 2, True),
}


def wordmill_spec(cell, layers, bidirectional, threads, epochs, train, test, artifacts):
    stages = [
        {"name": "tokens", "op": "tokenize", "inputs": train, "test_inputs": test, "format": "tsv",
         "tokenizer": {"kind": "words", "lowercase": True}},
        {"name": "vocab", "op": "vocab", "from": "tokens", "min_count": 2},
        {"name": "sequences", "op": "sequences", "from": ["tokens", "vocab"], "task": "classify"},
        {"name": "model", "op": "train", "from": "sequences", "model": "rnn", "cell": cell, "layers": layers,
         "bidirectional": bidirectional, "embedding_dim": 128, "hidden": 256, "batch_size": 64, "epochs": epochs,
         "optimizer": "adam", "lr": 0.001, "seed": 1, "threads": threads},
        {"name": "eval", "op": "evaluate", "from": ["model", "sequences"]},
    ]
    return {"wordmill": 1, "name": "bench-recurrent", "artifacts": artifacts, "stages": stages}


def run_wordmill(config, threads, epochs, train, test, work):
    cell, layers, bidirectional = CONFIGS[config]
    artifacts = os.path.join(work, f"wm-{config}-{threads}")
    spec = os.path.join(work, f"{config}-{threads}.json")
    with open(spec, "w") as f:
        json.dump(wordmill_spec(cell, layers, bidirectional, threads, epochs, train, test, artifacts), f)
    out, _, rss = measured([WORDMILL, "run", spec])
    rates = [int(m) for m in re.findall(r"epoch \d+/\d+: loss [\d.]+, (\d+) tokens/s", out)]
    evaluation = re.search(r"ran eval .*accuracy ([\d.]+),.* (\d+) tokens/s", out)
    if not rates or not evaluation:
        sys.exit(f"could not read wordmill's output:\n{out[-2000:]}")
    # Overall rate = tokens / total epoch time: the harmonic mean of equal-token epochs.
    train_rate = len(rates) / sum(1 / r for r in rates)
    return {"train": train_rate, "infer": int(evaluation.group(2)), "accuracy": float(evaluation.group(1)), "rss": rss}


def run_torch(python, config, threads, epochs, train, test, work):
    cell, layers, bidirectional = CONFIGS[config]
    out_json = os.path.join(work, f"pt-{config}-{threads}.json")
    cmd = [python, os.path.join(ROOT, "bench/recurrent/pytorch_rnn.py"), "--cell", cell, "--layers", str(layers),
           "--threads", str(threads), "--epochs", str(epochs), "--train", train, "--test", test, "--json", out_json]
    if bidirectional:
        cmd.append("--bidirectional")
    measured(cmd)
    with open(out_json) as f:
        r = json.load(f)
    return {"train": r["train"]["tokens_per_s"], "infer": r["infer"]["tokens_per_s"], "accuracy": r["accuracy"], "rss": r["peak_rss_mib"]}


def subset(path, count, work):
    if count is None:
        return path
    target = os.path.join(work, os.path.basename(path))
    with open(path, encoding="utf-8") as src, open(target, "w", encoding="utf-8") as out:
        for i, line in enumerate(src):
            if i >= count:
                break
            out.write(line)
    return target


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--torch-python", help="python with torch (bench/.venv-torch/bin/python); omit to skip PyTorch")
    ap.add_argument("--configs", default="rnn,lstm,gru,bilstm2")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--docs", type=int, help="use only the first N training documents (N/4 test documents)")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="wordmill-bench-recurrent-")
    train = subset(os.path.join(CORPUS, "lexname.train.tsv"), args.docs, work)
    test = subset(os.path.join(CORPUS, "lexname.test.tsv"), args.docs // 4 if args.docs else None, work)
    rows = []
    for config in args.configs.split(","):
        for threads in [int(t) for t in args.threads.split(",")]:
            wm = run_wordmill(config, threads, args.epochs, train, test, work)
            pt = run_torch(args.torch_python, config, threads, args.epochs, train, test, work) if args.torch_python else None
            rows.append((config, threads, wm, pt))
            print(f"# {config} threads={threads}: wordmill {wm}, pytorch {pt}", file=sys.stderr, flush=True)
    print(f"{'config':<9}{'thr':>4}{'train tok/s wm':>16}{'pt':>9}{'×':>7}{'infer tok/s wm':>16}{'pt':>9}{'×':>7}"
          f"{'acc wm':>8}{'pt':>8}{'RSS MiB wm':>12}{'pt':>7}")
    for config, threads, wm, pt in rows:
        def ratio(key):
            return f"{wm[key] / pt[key]:.2f}" if pt else "-"
        print(f"{config:<9}{threads:>4}{wm['train']:>16,.0f}{(pt['train'] if pt else 0):>9,.0f}{ratio('train'):>7}"
              f"{wm['infer']:>16,.0f}{(pt['infer'] if pt else 0):>9,.0f}{ratio('infer'):>7}"
              f"{wm['accuracy']:>8.4f}{(pt['accuracy'] if pt else 0):>8.4f}{wm['rss']:>12.0f}{(pt['rss'] if pt else 0):>7.0f}")
    lstm = [r for r in rows if r[0] == "lstm" and r[1] == 1]
    if lstm:
        flops = 6 * (128 + 256) * 4 * 256
        print(f"LSTM training at 1 thread: wordmill {lstm[0][2]['train'] * flops / 1e9:.1f} GFLOP/s"
              + (f", PyTorch {lstm[0][3]['train'] * flops / 1e9:.1f} GFLOP/s" if lstm[0][3] else "")
              + " of recurrent-layer work")
    python = args.torch_python or sys.executable
    try:
        peak, _, _ = measured([python, os.path.join(ROOT, "bench/recurrent/sgemm_peak.py")])
        r = json.loads(peak)
        print(f"plain sgemm, 1 thread (numpy's OpenBLAS): 1024³ {r['numpy_square_1024']['gflops_median']:.1f} GFLOP/s, "
              f"the LSTM step's shape (64×384)·(384×1024) {r['numpy_lstm_step_b64']['gflops_median']:.1f} GFLOP/s")
    except SystemExit:
        print("plain sgemm: numpy not available to this python")


if __name__ == "__main__":
    main()
