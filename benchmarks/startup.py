#!/usr/bin/env python3
"""Start-up of the binary, what a user waits for before the first label: the wall time of
`fewshot --help` (the process alone) and of `fewshot classify C.fsc` fed one line (the process,
reading and checking the classifier file, one line classified), for a classifier made from
examples/support.tsv with each model. With several binaries (e.g. two builds), their runs
alternate, so that a noisy machine weighs on each alike. Prints the median and the minimum
of --runs runs per binary and case.

    benchmarks/startup.py [--bin PATH ...] [--model fast --model default] [--runs 30]

The first --bin (default: `make -s print-bin`) trains the classifiers.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

LINE = b"The committee approved the budget for the new school building after a long debate.\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bin", action="append", help="a fewshot binary (repeat to compare builds)")
    parser.add_argument("--model", action="append", help="models to build a classifier with (default: fast, default)")
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bins = args.bin or [subprocess.run(["make", "-s", "print-bin"], cwd=root, capture_output=True, text=True, check=True).stdout.strip()]
    models = args.model or ["fast", "default"]
    with tempfile.TemporaryDirectory() as scratch:
        cases = [("--help", ["--help"], None)]
        for model in models:
            path = os.path.join(scratch, f"{model}.fsc")
            subprocess.run([bins[0], "train", "--model", model, "--examples", os.path.join(root, "examples/support.tsv"), "-o", path],
                           check=True, capture_output=True)
            cases.append((f"classify one line, {model}", ["classify", path], LINE))
        print("| case | binary | median ms | min ms |")
        print("|---|---|---|---|")
        for name, arguments, stdin in cases:
            times = {b: [] for b in bins}
            for _ in range(args.runs):
                for b in bins:
                    start = time.perf_counter()
                    subprocess.run([b] + arguments, input=stdin, capture_output=True, check=True)
                    times[b].append((time.perf_counter() - start) * 1000)
            for b in bins:
                print(f"| {name} | {b} | {statistics.median(times[b]):.1f} | {min(times[b]):.1f} |")


if __name__ == "__main__":
    main()
