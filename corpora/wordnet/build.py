#!/usr/bin/env python3
"""Build labelled text-classification corpora from Debian's wordnet-base (WordNet 3.0).

Every synset in /usr/share/wordnet/data.{noun,verb,adj,adv} is one document: its gloss
(the text after the first "| ", stripped, tabs and CR/LF turned into spaces); synsets with
an empty gloss are dropped. Two labellings:
  lexname  the lexicographer file (noun.animal, verb.motion, ...; 45 classes, lexnames(5))
  pos      the part of speech (noun, verb, adj, adv; satellites "s" count as adj)
Each labelling gets its own stratified 80/20 split: a fresh random.Random(20261129); for each
class in sorted order its document indices are shuffled and the first round(0.2 * n) go to
test. Documents keep corpus order (data.noun, data.verb, data.adj, data.adv, then file order).

Writes lexname.train.tsv, lexname.test.tsv, pos.train.tsv, pos.test.tsv beside this script,
one "label<TAB>gloss" line per document (UTF-8), and prints the counts. Deterministic.

Usage: python3 corpora/wordnet/build.py
Install the data first: apt-get install -y wordnet-base
"""
import os
import random
import sys
from collections import Counter

WORDNET_DIR = "/usr/share/wordnet"
OUT_DIR = os.path.dirname(os.path.abspath(__file__))
FILES = ["data.noun", "data.verb", "data.adj", "data.adv"]
POS = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
SEED = 20261129
LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute "
    "noun.body noun.cognition noun.communication noun.event noun.feeling noun.food noun.group "
    "noun.location noun.motive noun.object noun.person noun.phenomenon noun.plant "
    "noun.possession noun.process noun.quantity noun.relation noun.shape noun.state "
    "noun.substance noun.time verb.body verb.change verb.cognition verb.communication "
    "verb.competition verb.consumption verb.contact verb.creation verb.emotion verb.motion "
    "verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()


def lexnames():
    path = os.path.join(WORDNET_DIR, "lexnames")
    if not os.path.exists(path):
        return LEXNAMES
    names = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) >= 2:
                names[int(fields[0])] = fields[1]
    return [names[i] for i in range(len(names))]


def read_synsets(names):
    docs = []  # (lexname, pos, gloss)
    dropped = 0
    for name in FILES:
        with open(os.path.join(WORDNET_DIR, name), encoding="utf-8", newline="") as f:
            for line in f:
                if line.startswith("  "):
                    continue  # license header
                head, sep, gloss = line.partition("| ")
                gloss = gloss.replace("\t", " ").replace("\r", " ").replace("\n", " ").strip()
                if not sep or not gloss:
                    dropped += 1
                    continue
                fields = head.split()
                docs.append((names[int(fields[1])], POS[fields[2]], gloss))
    return docs, dropped


def split(labels):
    """Return the set of test indices: per class (sorted), shuffle, first round(0.2n) to test."""
    rng = random.Random(SEED)
    by_class = {}
    for i, label in enumerate(labels):
        by_class.setdefault(label, []).append(i)
    test = set()
    for label in sorted(by_class):
        indices = by_class[label]
        rng.shuffle(indices)
        test.update(indices[: round(0.2 * len(indices))])
    return test


def write(path, rows):
    data = "".join(f"{label}\t{text}\n" for label, text in rows).encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)
    return len(data)


def main():
    if not os.path.exists(os.path.join(WORDNET_DIR, "data.noun")):
        print("WordNet data not found: apt-get install -y wordnet-base", file=sys.stderr)
        sys.exit(1)
    docs, dropped = read_synsets(lexnames())
    glosses = [d[2] for d in docs]
    print(f"documents: {len(docs)} (dropped {dropped} with an empty gloss); "
          f"distinct glosses: {len(set(glosses))}")
    for column, name in ((0, "lexname"), (1, "pos")):
        labels = [d[column] for d in docs]
        test = split(labels)
        train_rows = [(labels[i], glosses[i]) for i in range(len(docs)) if i not in test]
        test_rows = [(labels[i], glosses[i]) for i in sorted(test)]
        train_bytes = write(os.path.join(OUT_DIR, f"{name}.train.tsv"), train_rows)
        test_bytes = write(os.path.join(OUT_DIR, f"{name}.test.tsv"), test_rows)
        train_texts = {t for _, t in train_rows}
        seen = sum(t in train_texts for _, t in test_rows)
        print(f"{name}: {len(set(labels))} classes; train {len(train_rows)} docs, {train_bytes} bytes; "
              f"test {len(test_rows)} docs, {test_bytes} bytes; "
              f"{seen} test glosses also occur in train")
    for label, n in sorted(Counter(d[0] for d in docs).items()):
        print(f"  {label}\t{n}")


if __name__ == "__main__":
    main()
