#!/usr/bin/env python3
"""Fetch the standard word-vector test sets that gensim ships in its test data:
questions-words.txt (Mikolov et al.'s analogies), wordsim353.tsv (WordSim-353) and
simlex999.txt (SimLex-999). Downloads the gensim 4.4.0 wheel from PyPI (pip download,
no install) and extracts the three files beside this script.

Usage: fetch.py [FOLDER]
"""
import glob
import os
import subprocess
import sys
import tempfile
import zipfile

FILES = ["questions-words.txt", "wordsim353.tsv", "simlex999.txt"]


def main():
    target = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
    if all(os.path.exists(os.path.join(target, f)) for f in FILES):
        print(f"{target}: test sets already present")
        return
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--dest", tmp, "gensim==4.4.0"], check=True)
        wheel = glob.glob(os.path.join(tmp, "gensim-*.whl"))[0]
        with zipfile.ZipFile(wheel) as z:
            for name in FILES:
                data = z.read(f"gensim/test/test_data/{name}")
                with open(os.path.join(target, name), "wb") as out:
                    out.write(data)
                print(f"{os.path.join(target, name)}: {len(data)} bytes")


if __name__ == "__main__":
    main()
