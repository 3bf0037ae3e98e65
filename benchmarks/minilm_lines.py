#!/usr/bin/env python3
"""The peer in the speed table: all-MiniLM-L6-v2 under onnxruntime (the peer rig's
../shared/peers/minilm.py pipeline: tokenize, truncate at 256, BERT, mean pool, normalize) on
every line of a file, batches of 64 sorted by length. Prints lines/s per thread count (median
of --runs runs after a warm-up). Run with the peer rig's Python:

    ../shared/peers/.venv/bin/python benchmarks/minilm_lines.py long.txt [--threads 1,2] [--runs 3]
"""
import argparse
import os
import statistics
import sys
import time

PEERS = os.environ.get("PEERS", os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "peers"))
sys.path.insert(0, PEERS)
import minilm  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("file")
    ap.add_argument("--threads", default="1,2")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    with open(a.file, encoding="utf-8") as f:
        texts = [line.rstrip("\n") for line in f if line.strip()]
    for threads in [int(t) for t in a.threads.split(",")]:
        encoder = minilm.Encoder("onnx", threads=threads)
        encoder.encode(texts[:128])
        rates = []
        for _ in range(a.runs):
            start = time.perf_counter()
            encoder.encode(texts)
            rates.append(len(texts) / (time.perf_counter() - start))
        print(f"| onnxruntime all-MiniLM-L6-v2, {threads} thread(s) | {statistics.median(rates):.0f} lines/s | runs: "
              + ", ".join(f"{r:.0f}" for r in rates) + " |", flush=True)


if __name__ == "__main__":
    main()
