#!/usr/bin/env python3
"""Drives bench/tokenize/run: tokenize + vocab on the gcide corpus (4.3 M tokens, 24 MB) and
the Korean help corpus (2.1 MB) with wordmill's `words` tokenizer at 1 and 2 threads (a fresh
pipeline each time: tokenize and vocab stages, cold), against Python's
re.findall(r"\\w+|[^\\w\\s]") + collections.Counter and Hugging Face tokenizers' Whitespace
pre-tokenizer + Counter, one line at a time. Prints MB/s, tokens/s and peak RSS, the medians of
--repeat alternating runs, and the ratios. wordmill's time is given twice: its whole process
(start, hashing the corpus, both stages, writing both artifacts) and its two stages alone (as
its run record has them), the fair match for Python's loop, which excludes the interpreter's
start and imports. The last column is each process's CPU time, all threads: wordmill's
`threads: 1` has one tokenizing thread, but counting and the artifact's compression run on
threads of their own beside it.
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
from measure import measured_with_cpu  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDMILL = os.path.join(ROOT, ".build/release/wordmill")
CORPORA = {"gcide": os.path.join(ROOT, "corpora/gcide/gcide.txt"), "ko-help": os.path.join(ROOT, "corpora/ko-help/ko-help.txt")}


def wordmill(corpus, threads):
    with tempfile.TemporaryDirectory() as work:
        spec = {"wordmill": 1, "name": "bench-tokenize", "artifacts": os.path.join(work, "artifacts"), "stages": [
            {"name": "tokens", "op": "tokenize", "inputs": corpus, "tokenizer": "words", "threads": threads},
            {"name": "vocab", "op": "vocab", "from": "tokens", "threads": threads}]}
        path = os.path.join(work, "spec.json")
        with open(path, "w") as f:
            json.dump(spec, f)
        _, wall, rss, cpu = measured_with_cpu([WORDMILL, "run", path, "--quiet"])
        with open(os.path.join(work, "artifacts/.wordmill/runs.jsonl")) as f:
            record = json.loads(f.read().splitlines()[-1])
        counts = {s["stage"]: s.get("counts", {}) for s in record["stages"]}
        stages = sum(s["seconds"] for s in record["stages"])
        return {"seconds": wall, "stages": stages, "rss": rss, "cpu": cpu, "tokens": counts["tokens"]["tokens"], "distinct": counts["vocab"]["distinct_tokens"]}


def python(interpreter, how, corpus):
    out, wall, rss, cpu = measured_with_cpu([interpreter, os.path.join(ROOT, "bench/tokenize/python_tokenize.py"), how, corpus])
    r = json.loads(out)
    return {"seconds": r["seconds"], "process": wall, "rss": rss, "cpu": cpu, "tokens": r["tokens"], "distinct": r["distinct"]}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", required=True, help="an interpreter with Hugging Face tokenizers installed")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for name, corpus in CORPORA.items():
        report(name, corpus, args)


def report(name, corpus, args):
    size = os.path.getsize(corpus) / 1e6
    runs = {k: [] for k in ["wordmill 1 thread", "wordmill 2 threads", "re.findall + Counter", "HF Whitespace + Counter"]}
    for _ in range(args.repeat):
        runs["wordmill 1 thread"].append(wordmill(corpus, 1))
        runs["wordmill 2 threads"].append(wordmill(corpus, 2))
        runs["re.findall + Counter"].append(python(args.python, "regex", corpus))
        runs["HF Whitespace + Counter"].append(python(args.python, "hf-whitespace", corpus))
    print(f"tokenize + count, {name} ({size:.1f} MB), medians of {args.repeat} alternating runs "
          f"(wordmill: whole process, and its two stages alone; Python: the loop, imports excluded)")
    print(f"{'':32}{'seconds':>9}{'MB/s':>8}{'M tokens/s':>12}{'tokens':>11}{'distinct':>10}{'peak RSS MB':>13}{'process CPU s':>15}")
    medians = {}
    rows = []
    for label, rs in runs.items():
        rows.append((label, rs, "seconds"))
        if label.startswith("wordmill"):
            rows.append((f"{label}, stages", rs, "stages"))
    for label, rs, key in rows:
        seconds = statistics.median(r[key] for r in rs)
        medians[label] = seconds
        r = rs[-1]
        print(f"{label:32}{seconds:9.3f}{size / seconds:8.1f}{r['tokens'] / seconds / 1e6:12.2f}{r['tokens']:11d}{r['distinct']:10d}"
              f"{statistics.median(x['rss'] for x in rs):13.0f}{statistics.median(x['cpu'] for x in rs):15.3f}")
    one, stages = medians["wordmill 1 thread"], medians["wordmill 1 thread, stages"]
    print(f"wordmill at one thread: {medians['re.findall + Counter'] / one:.1f}x re.findall + Counter, "
          f"{medians['HF Whitespace + Counter'] / one:.1f}x HF Whitespace (stages alone: {medians['re.findall + Counter'] / stages:.1f}x, "
          f"{medians['HF Whitespace + Counter'] / stages:.1f}x); two threads {one / medians['wordmill 2 threads']:.2f}x one")
    print()


if __name__ == "__main__":
    main()
