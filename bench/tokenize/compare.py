#!/usr/bin/env python3
"""Drives bench/tokenize/run: tokenize + vocab on the gcide corpus (4.3 M words, 24 MB) with
wordmill's `words` tokenizer at 1 and 2 threads (a fresh pipeline each time: tokenize and
vocab stages, cold), against Python's re.findall(r"\\w+|[^\\w\\s]") + collections.Counter and
Hugging Face tokenizers' Whitespace pre-tokenizer + Counter, one line at a time. Prints MB/s,
tokens/s and peak RSS, the medians of --repeat alternating runs, and the ratios.
wordmill's time is its whole process (reading, tokenizing, writing both artifacts).
"""
import argparse
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
CORPUS = os.path.join(ROOT, "corpora/gcide/gcide.txt")


def wordmill(threads):
    with tempfile.TemporaryDirectory() as work:
        spec = {"wordmill": 1, "name": "bench-tokenize", "artifacts": os.path.join(work, "artifacts"), "stages": [
            {"name": "tokens", "op": "tokenize", "inputs": CORPUS, "tokenizer": "words", "threads": threads},
            {"name": "vocab", "op": "vocab", "from": "tokens", "threads": threads}]}
        path = os.path.join(work, "spec.json")
        with open(path, "w") as f:
            json.dump(spec, f)
        _, wall, rss = measured([WORDMILL, "run", path, "--quiet"])
        with open(os.path.join(work, "artifacts/.wordmill/runs.jsonl")) as f:
            record = json.loads(f.read().splitlines()[-1])
        counts = {s["stage"]: s.get("counts", {}) for s in record["stages"]}
        return {"seconds": wall, "rss": rss, "tokens": counts["tokens"]["tokens"], "distinct": counts["vocab"]["distinct_tokens"]}


def python(interpreter, how):
    out, wall, rss = measured([interpreter, os.path.join(ROOT, "bench/tokenize/python_tokenize.py"), how, CORPUS])
    r = json.loads(out)
    return {"seconds": r["seconds"], "process": wall, "rss": rss, "tokens": r["tokens"], "distinct": r["distinct"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", required=True, help="an interpreter with Hugging Face tokenizers installed")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = os.path.getsize(CORPUS) / 1e6
    runs = {k: [] for k in ["wordmill 1 thread", "wordmill 2 threads", "re.findall + Counter", "HF Whitespace + Counter"]}
    for _ in range(args.repeat):
        runs["wordmill 1 thread"].append(wordmill(1))
        runs["wordmill 2 threads"].append(wordmill(2))
        runs["re.findall + Counter"].append(python(args.python, "regex"))
        runs["HF Whitespace + Counter"].append(python(args.python, "hf-whitespace"))
    print(f"tokenize + count, gcide ({size:.1f} MB), medians of {args.repeat} alternating runs "
          f"(wordmill: whole process; Python: the loop, imports excluded)")
    print(f"{'':26}{'seconds':>9}{'MB/s':>8}{'M tokens/s':>12}{'tokens':>11}{'distinct':>10}{'peak RSS MB':>13}")
    medians = {}
    for name, rs in runs.items():
        seconds = statistics.median(r["seconds"] for r in rs)
        medians[name] = seconds
        r = rs[-1]
        print(f"{name:26}{seconds:9.3f}{size / seconds:8.1f}{r['tokens'] / seconds / 1e6:12.2f}{r['tokens']:11d}{r['distinct']:10d}"
              f"{statistics.median(x['rss'] for x in rs):13.0f}")
    one = medians["wordmill 1 thread"]
    print(f"wordmill at one thread: {medians['re.findall + Counter'] / one:.1f}x re.findall + Counter, "
          f"{medians['HF Whitespace + Counter'] / one:.1f}x HF Whitespace; two threads {one / medians['wordmill 2 threads']:.2f}x one")


if __name__ == "__main__":
    main()
