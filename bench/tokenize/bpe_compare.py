#!/usr/bin/env python3
"""Drives bench/tokenize/bpe: learning 8000 byte-pair-encoding merges from the gcide corpus's
words. wordmill: the `subword` stage (word counting from the tokens artifact, learning, and
splitting the whole stream into pieces), its time from the run record; Hugging Face tokenizers:
`BpeTrainer` with the `Whitespace` pre-tokenizer on the same file (counting and learning; no
splitting), in-process time. Medians of --repeat alternating runs.
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
CORPUS = os.path.join(ROOT, "corpora/gcide/gcide.txt")
MERGES = 8000
HF = """
import json, sys, time
from tokenizers import Tokenizer, models, pre_tokenizers, trainers
path, merges = sys.argv[1], int(sys.argv[2])
alphabet = set()
with open(path, encoding="utf-8") as f:
    for line in f:
        alphabet.update(c for c in line if not c.isspace())
tokenizer = Tokenizer(models.BPE())
tokenizer.pre_tokenizer = pre_tokenizers.Whitespace()
trainer = trainers.BpeTrainer(vocab_size=len(alphabet) + merges, show_progress=False, limit_alphabet=len(alphabet))
started = time.perf_counter()
tokenizer.train([path], trainer)
seconds = time.perf_counter() - started
model = json.loads(tokenizer.to_str())["model"]
print(json.dumps({"seconds": seconds, "merges": len(model["merges"])}))
"""


def wordmill(work):
    spec = {"wordmill": 1, "name": "bench-bpe", "artifacts": os.path.join(work, "artifacts"), "stages": [
        {"name": "words", "op": "tokenize", "inputs": CORPUS, "tokenizer": "words"},
        {"name": "pieces", "op": "subword", "from": "words", "merges": MERGES}]}
    path = os.path.join(work, "spec.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    measured([WORDMILL, "run", path, "--quiet", "--force"])
    with open(os.path.join(work, "artifacts/.wordmill/runs.jsonl")) as f:
        record = json.loads(f.read().splitlines()[-1])
    stage = next(s for s in record["stages"] if s["stage"] == "pieces")
    return stage["seconds"], stage.get("counts", {}).get("merges", MERGES)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--python", required=True, help="an interpreter with Hugging Face tokenizers installed")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    ours, theirs = [], []
    with tempfile.TemporaryDirectory() as work:
        for _ in range(args.repeat):
            ours.append(wordmill(work))
            out, _, _ = measured([args.python, "-c", HF, CORPUS, str(MERGES)])
            theirs.append(json.loads(out))
    w = statistics.median(s for s, _ in ours)
    h = statistics.median(r["seconds"] for r in theirs)
    print(f"BPE, {MERGES} merges from gcide's words (medians of {args.repeat}):")
    print(f"  wordmill subword stage (count, learn, split the stream): {w:.2f} s, {ours[0][1]} merges")
    print(f"  Hugging Face BpeTrainer (count, learn):                  {h:.2f} s, {theirs[0]['merges']} merges")
    print(f"  ratio (HF / wordmill): {h / w:.2f}")


if __name__ == "__main__":
    main()
