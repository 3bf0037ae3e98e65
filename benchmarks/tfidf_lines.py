#!/usr/bin/env python3
"""The TF-IDF peer in the speed table: scikit-learn's TfidfVectorizer (word 1-2 grams,
sublinear tf, lowercase, the peers' settings) fitted on a labelled file, and nearest centroid
by cosine (the peers' method), timed on every line of a file: vectorize, score against the
label centroids, take the best. Single-threaded, as scikit-learn's vectorizer is; reading the
file is not timed. Prints lines/s (median of --runs runs after a warm-up). Run with the peer
rig's Python:

    ../shared/peers/.venv/bin/python benchmarks/tfidf_lines.py examples/support.tsv long.txt [--runs 3]
"""
import argparse
import statistics
import time

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("support", help="label<TAB>text lines: the classifier's examples")
    ap.add_argument("file", help="lines to classify")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    labels, texts = [], []
    with open(a.support, encoding="utf-8") as f:
        for line in f:
            if "\t" in line:
                label, text = line.rstrip("\n").split("\t", 1)
                labels.append(label)
                texts.append(text)
    with open(a.file, encoding="utf-8") as f:
        lines = [line.rstrip("\n") for line in f if line.strip()]
    names = sorted(set(labels))
    # Fitted on the examples and the lines together: the vocabulary and IDF a user's corpus gives.
    vectorizer = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, lowercase=True).fit(texts + lines)
    examples = vectorizer.transform(texts)
    centroids = np.vstack([np.asarray(examples[[i for i, l in enumerate(labels) if l == name]].mean(axis=0)) for name in names])
    centroids = normalize(centroids)

    def classify():
        scores = vectorizer.transform(lines) @ centroids.T
        return np.asarray(scores).argmax(axis=1)

    classify()
    seconds = []
    for _ in range(a.runs):
        start = time.perf_counter()
        classify()
        seconds.append(time.perf_counter() - start)
    words = sum(len(line.split()) for line in lines) / len(lines)
    rates = [len(lines) / s for s in seconds]
    print(
        f"tfidf (scikit-learn, 1-2 grams, nearest centroid), {len(lines)} lines of {words:.0f} words, 1 thread: "
        f"{statistics.median(rates):.0f} lines/s (runs: {', '.join(f'{r:.0f}' for r in rates)})"
    )


if __name__ == "__main__":
    main()
