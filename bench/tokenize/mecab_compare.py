#!/usr/bin/env python3
"""Drives bench/tokenize/mecab: Korean morphological analysis of the Korean help corpus
(corpora/ko-help, 2.15 MB) by wordmill's `mecab` tokenizer (a tokenize stage alone, at 1 and
2 threads, whole process), Debian's `mecab -Owakati` CLI and python-mecab-ko's
`MeCab().morphs` line by line, all with mecab-ko-dic 2.1.1. Prints the medians of --repeat
alternating runs (seconds, MB/s, peak RSS), the ratios, and how many lines each gives exactly
as the CLI does.
"""
import argparse
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from measure import measured  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WORDMILL = os.path.join(ROOT, ".build/release/wordmill")
CORPUS = os.path.join(ROOT, "corpora/ko-help/ko-help.txt")
DICTIONARY = os.path.join(ROOT, "corpora/tools/mecab-ko-dic")
PYKO = """
import sys, time
from mecab import MeCab
m = MeCab()
lines = [l.rstrip("\\n") for l in open(sys.argv[1], encoding="utf-8")]
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for line in lines:
        if line.strip():
            out.write(" ".join(m.morphs(line)) + "\\n")
"""


def wordmill(threads, work):
    artifacts = os.path.join(work, f"wm{threads}")
    spec = {"wordmill": 1, "name": "bench-mecab", "artifacts": artifacts, "stages": [
        {"name": "tokens", "op": "tokenize", "inputs": CORPUS, "threads": threads,
         "tokenizer": {"kind": "mecab", "dictionary": DICTIONARY}}]}
    path = os.path.join(work, f"spec{threads}.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    _, wall, rss = measured([WORDMILL, "run", path, "--quiet", "--force"])
    rows, _, _ = measured([WORDMILL, "inspect", os.path.join(artifacts, "tokens.wma"), "--rows", "1000000"])
    lines = [r.split(": ", 1)[1] if ": " in r else "" for r in rows.splitlines() if r.strip().split(":")[0].strip().isdigit()]
    return wall, rss, lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", required=True, help="an interpreter with python-mecab-ko installed")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = os.path.getsize(CORPUS) / 1e6
    results = {k: [] for k in ["wordmill 1 thread", "wordmill 2 threads", "mecab -Owakati", "python-mecab-ko"]}
    outputs = {}
    with tempfile.TemporaryDirectory() as work:
        for _ in range(args.repeat):
            for threads in (1, 2):
                wall, rss, lines = wordmill(threads, work)
                results[f"wordmill {threads} thread{'s' if threads > 1 else ''}"].append((wall, rss))
                outputs["wordmill"] = lines
            out, wall, rss = measured(["/bin/sh", "-c", f'mecab -d "{DICTIONARY}" -Owakati < "{CORPUS}"'])
            results["mecab -Owakati"].append((wall, rss))
            outputs["cli"] = [l.strip() for l in out.splitlines() if l.strip()]
            target = os.path.join(work, "pyko.txt")
            _, wall, rss = measured([args.python, "-c", PYKO, CORPUS, target])
            results["python-mecab-ko"].append((wall, rss))
            outputs["pyko"] = [l.strip() for l in open(target, encoding="utf-8")]
    cli = outputs["cli"]
    print(f"Korean help corpus: {size:.2f} MB, {len(cli)} lines, mecab-ko-dic 2.1.1; medians of {args.repeat} runs")
    print(f"{'':<22}{'seconds':>9}{'MB/s':>8}{'RSS MB':>8}{'× CLI':>7}{'lines as CLI':>15}")
    base = statistics.median(w for w, _ in results["mecab -Owakati"])
    same = {"wordmill 1 thread": "wordmill", "wordmill 2 threads": "wordmill", "mecab -Owakati": "cli", "python-mecab-ko": "pyko"}
    for name, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        rss = statistics.median(r for _, r in runs)
        agree = sum(a == b for a, b in zip(outputs[same[name]], cli))
        print(f"{name:<22}{wall:>9.3f}{size / wall:>8.2f}{rss:>8.0f}{base / wall:>7.2f}{agree:>9}/{len(cli)}")


if __name__ == "__main__":
    main()
