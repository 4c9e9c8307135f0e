"""The Python side of bench/tokenize/run: tokenize + count a corpus one way and print one
JSON object with the seconds, tokens, distinct tokens, MB/s and peak RSS.

  python_tokenize.py regex CORPUS        re.findall(r"\\w+|[^\\w\\s]") per line + collections.Counter
  python_tokenize.py hf-whitespace CORPUS   Hugging Face tokenizers' Whitespace pre-tokenizer per line + Counter
"""
import collections
import json
import os
import re
import resource
import sys
import time


def main():
    how, path = sys.argv[1], sys.argv[2]
    size = os.path.getsize(path)
    counts = collections.Counter()
    started = time.perf_counter()
    if how == "regex":
        pattern = re.compile(r"\w+|[^\w\s]")
        with open(path, encoding="utf-8") as f:
            for line in f:
                counts.update(pattern.findall(line))
    elif how == "hf-whitespace":
        from tokenizers.pre_tokenizers import Whitespace
        pre = Whitespace()
        with open(path, encoding="utf-8") as f:
            for line in f:
                counts.update(piece for piece, _ in pre.pre_tokenize_str(line))
    else:
        sys.exit(f"unknown method {how}")
    seconds = time.perf_counter() - started
    print(json.dumps({"seconds": seconds, "tokens": sum(counts.values()), "distinct": len(counts), "mb_per_s": size / 1e6 / seconds,
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    main()
