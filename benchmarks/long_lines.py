#!/usr/bin/env python3
"""Real text at real line lengths for speed benchmarks: lines of 40-80 words, made by joining
sentences of one source of corpora/prose.tsv (in the file's sorted order) (novels, plays, documentation,
commentary) until a line holds at least 40 words; lines over 80 words are skipped.

    python3 benchmarks/long_lines.py [--lines 2000] [--labels] > long.txt

With --labels each line is "source<TAB>text" (the peers' label<TAB>text format, e.g. for
../shared/peers/bench_fasttext.py). With --short the lines are single sentences of 3-12 words
instead (the length of chat messages, titles and log lines).

Deterministic: the sources are taken in turn, each in file order.
"""
import argparse
import os
from collections import defaultdict

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lines", type=int, default=2000)
    ap.add_argument("--corpus", default=os.path.join(ROOT, "corpora", "prose.tsv"))
    ap.add_argument("--labels", action="store_true", help="prefix each line with its source and a tab")
    ap.add_argument("--short", action="store_true", help="single sentences of 3-12 words")
    a = ap.parse_args()
    by_source = defaultdict(list)
    with open(a.corpus, encoding="utf-8") as f:
        for line in f:
            label, text = line.rstrip("\n").split("\t", 1)
            by_source[label].append(text)
    made = defaultdict(list)
    for source, sentences in sorted(by_source.items()):
        current = []
        for sentence in sentences:
            if a.short:
                if 3 <= len(sentence.split()) <= 12:
                    made[source].append(sentence)
                continue
            current.append(sentence)
            words = sum(len(s.split()) for s in current)
            if words >= 40:
                if words <= 80:
                    made[source].append(" ".join(current))
                current = []
    out = []
    sources = sorted(made)
    position = 0
    while len(out) < a.lines and any(made.values()):
        source = sources[position % len(sources)]
        if made[source]:
            text = made[source].pop(0)
            out.append(f"{source}\t{text}" if a.labels else text)
        position += 1
    print("\n".join(out))


if __name__ == "__main__":
    main()
