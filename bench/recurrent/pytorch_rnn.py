#!/usr/bin/env python3
"""PyTorch side of the recurrent-network benchmark (see bench/recurrent/README.md).

Trains Embedding -> RNN/LSTM/GRU -> Linear on the WordNet lexname gloss corpus on the CPU and
reports training and inference tokens per second, peak RSS and test accuracy.

Run with bench/.venv-torch/bin/python (bench/recurrent/setup_torch.sh creates it).
"""
import argparse
import collections
import json
import os
import platform
import random
import re
import resource
import sys
import time

import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_sequence

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
TOKEN = re.compile(r"\w+|[^\w\s]")  # str pattern: Unicode \w and \s


def tokenize(text):
    return TOKEN.findall(text.lower())


def read_tsv(path):
    labels, docs = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            label, text = line.split("\t", 1)
            labels.append(label)
            docs.append(tokenize(text))
    return labels, docs


def peak_rss_mib():
    # Linux: ru_maxrss is in KiB (macOS: bytes).
    r = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return r / (1024 * 1024) if sys.platform == "darwin" else r / 1024


class Classifier(nn.Module):
    def __init__(self, cell, vocab, classes, embed, hidden, layers, bidirectional):
        super().__init__()
        self.cell = cell
        self.bidirectional = bidirectional
        self.embedding = nn.Embedding(vocab, embed, padding_idx=0)
        rnn = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[cell]
        self.rnn = rnn(embed, hidden, num_layers=layers, bidirectional=bidirectional, batch_first=True)
        self.out = nn.Linear(hidden * (2 if bidirectional else 1), classes)

    def forward(self, ids, lengths):
        x = self.embedding(ids)
        packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
        _, h_n = self.rnn(packed)
        if self.cell == "lstm":
            h_n = h_n[0]
        # h_n: (layers * directions, batch, hidden), in the original (unsorted) batch order.
        if self.bidirectional:
            h = torch.cat([h_n[-2], h_n[-1]], dim=1)  # last layer, forward and backward
        else:
            h = h_n[-1]
        return self.out(h)


def collate(seqs, idx):
    batch = [seqs[i] for i in idx]
    lengths = torch.tensor([len(s) for s in batch], dtype=torch.int64)
    return pad_sequence(batch, batch_first=True, padding_value=0), lengths


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cell", choices=["rnn", "lstm", "gru"], default="lstm")
    ap.add_argument("--layers", type=int, default=1)
    ap.add_argument("--bidirectional", action="store_true")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--max-len", type=int, default=0, help="keep the first N tokens of each gloss (0 = no truncation)")
    ap.add_argument("--json", metavar="OUT", help="write the results here")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--infer-batch", type=int, default=256)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--embed", type=int, default=128)
    ap.add_argument("--hidden", type=int, default=256)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--train", default=os.path.join(ROOT, "corpora/wordnet/lexname.train.tsv"))
    ap.add_argument("--test", default=os.path.join(ROOT, "corpora/wordnet/lexname.test.tsv"))
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    rss_after_import = peak_rss_mib()

    # ---- data preparation (not timed as training) ----
    t0 = time.perf_counter()
    train_labels, train_docs = read_tsv(args.train)
    test_labels, test_docs = read_tsv(args.test)
    counts = collections.Counter(t for d in train_docs for t in d)
    # Vocabulary order: count descending, then token; ids 0 and 1 are <pad> and <unk>.
    kept = sorted((t for t, c in counts.items() if c >= args.min_count), key=lambda t: (-counts[t], t))
    itos = ["<pad>", "<unk>"] + kept
    stoi = {t: i for i, t in enumerate(itos)}
    classes = sorted(set(train_labels))
    label_id = {l: i for i, l in enumerate(classes)}
    unknown_test_labels = sum(1 for l in test_labels if l not in label_id)

    def encode(docs):
        out = []
        for d in docs:
            if args.max_len > 0:
                d = d[: args.max_len]
            if not d:  # never happens on this corpus; pack_padded_sequence needs length >= 1
                d = ["<unk>"]
            out.append(torch.tensor([stoi.get(t, 1) for t in d], dtype=torch.int64))
        return out

    train_x = encode(train_docs)
    test_x = encode(test_docs)
    train_y = torch.tensor([label_id[l] for l in train_labels], dtype=torch.int64)
    test_y = torch.tensor([label_id.get(l, -1) for l in test_labels], dtype=torch.int64)
    train_tokens_per_epoch = sum(len(s) for s in train_x)
    test_tokens = sum(len(s) for s in test_x)
    test_unk = sum(int((s == 1).sum()) for s in test_x)
    prep_s = time.perf_counter() - t0

    model = Classifier(args.cell, len(itos), len(classes), args.embed, args.hidden, args.layers, args.bidirectional)
    params = sum(p.numel() for p in model.parameters())
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    loss_fn = nn.CrossEntropyLoss()
    rng = random.Random(args.seed)

    config = f"{args.cell} layers={args.layers}{' bidirectional' if args.bidirectional else ''} threads={args.threads}"
    print(f"# {config}: vocab {len(itos)}, {len(classes)} classes, {len(train_x)} train docs "
          f"({train_tokens_per_epoch} tokens), {len(test_x)} test docs ({test_tokens} tokens), "
          f"{params} parameters, prep {prep_s:.1f} s", file=sys.stderr, flush=True)

    # ---- training: timed from the first shuffle to the last optimizer step of each epoch ----
    epochs = []
    order = list(range(len(train_x)))
    for epoch in range(1, args.epochs + 1):
        model.train()
        t0 = time.perf_counter()
        rng.shuffle(order)
        tokens = 0
        loss_sum = 0.0
        batches = 0
        for b in range(0, len(order), args.batch):
            idx = order[b : b + args.batch]
            ids, lengths = collate(train_x, idx)
            logits = model(ids, lengths)
            loss = loss_fn(logits, train_y[idx])
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            tokens += int(lengths.sum())
            loss_sum += loss.item()
            batches += 1
        secs = time.perf_counter() - t0
        e = {"epoch": epoch, "seconds": secs, "tokens": tokens, "tokens_per_s": tokens / secs,
             "mean_loss": loss_sum / batches}
        epochs.append(e)
        print(f"# epoch {epoch}: {secs:.1f} s, {tokens / secs:,.0f} tokens/s, loss {e['mean_loss']:.4f}",
              file=sys.stderr, flush=True)
    train_s = sum(e["seconds"] for e in epochs)
    train_tokens = sum(e["tokens"] for e in epochs)

    # ---- inference on the test set, file order ----
    model.eval()
    t0 = time.perf_counter()
    correct = 0
    with torch.no_grad():
        for b in range(0, len(test_x), args.infer_batch):
            idx = list(range(b, min(b + args.infer_batch, len(test_x))))
            ids, lengths = collate(test_x, idx)
            pred = model(ids, lengths).argmax(dim=1)
            correct += int((pred == test_y[idx]).sum())
    infer_s = time.perf_counter() - t0
    accuracy = correct / len(test_x)

    result = {
        "tool": "pytorch",
        "torch_version": torch.__version__,
        "python_version": platform.python_version(),
        "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        "config": {
            "cell": args.cell, "layers": args.layers, "bidirectional": args.bidirectional,
            "threads": args.threads, "epochs": args.epochs, "max_len": args.max_len, "seed": args.seed,
            "batch": args.batch, "infer_batch": args.infer_batch, "lr": args.lr, "embed": args.embed,
            "hidden": args.hidden, "min_count": args.min_count, "optimizer": "adam",
        },
        "data": {
            "train": os.path.relpath(args.train, ROOT), "test": os.path.relpath(args.test, ROOT),
            "vocab_size": len(itos), "classes": len(classes),
            "train_docs": len(train_x), "test_docs": len(test_x),
            "train_tokens_per_epoch": train_tokens_per_epoch, "test_tokens": test_tokens,
            "test_unk_tokens": test_unk, "test_labels_unseen_in_train": unknown_test_labels,
        },
        "parameters": params,
        "prep_seconds": prep_s,
        "epochs": epochs,
        "train": {"seconds": train_s, "tokens": train_tokens, "tokens_per_s": train_tokens / train_s},
        "infer": {"seconds": infer_s, "tokens": test_tokens, "tokens_per_s": test_tokens / infer_s},
        "accuracy": accuracy,
        "peak_rss_mib": peak_rss_mib(),
        "rss_after_import_mib": rss_after_import,
    }
    print(f"pytorch {torch.__version__} {config}: train {result['train']['tokens_per_s']:,.0f} tokens/s "
          f"({train_s:.1f} s, {args.epochs} epochs), infer {result['infer']['tokens_per_s']:,.0f} tokens/s "
          f"({infer_s:.1f} s, batch {args.infer_batch}), accuracy {accuracy:.4f}, "
          f"peak RSS {result['peak_rss_mib']:.0f} MiB, vocab {len(itos)}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=2)
            f.write("\n")


if __name__ == "__main__":
    main()
