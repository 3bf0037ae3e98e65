#!/usr/bin/env python3
"""Soak: a long stream of mixed and damaged lines through `fewshot classify`, `tokenize` and
`embed`. Each must print exactly one line per input line, in order, and its peak RSS must not
grow with the input's length.

    python3 benchmarks/soak.py [--lines 1000000] [--model default]

The input (deterministic, seed 0) mixes WordNet glosses, 40-80-word prose lines, empty and blank
lines, lines of invalid UTF-8, lines with NUL bytes, CRLF endings and a few 1 MB lines. Order is
checked where it can be: the lines with no text (tokenize prints `[CLS] [SEP]`) must be exactly
those where classify prints an empty label, and where embed prints the empty text's embedding (to 1e-4).
Peak RSS (`/usr/bin/time -f %M`) is measured at a tenth of the lines and at all of them.
"""
import argparse
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def binary():
    return subprocess.run(["make", "-s", "print-bin"], cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()


def make_input(path, count):
    random.seed(0)
    glosses = [line.split(b"\t", 1)[1].rstrip(b"\n") for line in open(os.path.join(ROOT, "corpora/domains.tsv"), "rb")]
    prose = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks/long_lines.py"), "--lines", "2000"],
                           check=True, capture_output=True).stdout.splitlines()
    huge = (b"word " * 209716)[:1 << 20]
    with open(path, "wb") as out:
        for number in range(count):
            kind = random.random()
            if number in (count // 7, count // 3, count // 2, 2 * count // 3, count - 2):
                line = huge
            elif kind < 0.55:
                line = random.choice(glosses)
            elif kind < 0.80:
                line = random.choice(prose)
            elif kind < 0.85:
                line = b""
            elif kind < 0.88:
                line = b"   \t  "
            elif kind < 0.92:
                line = bytes(random.randrange(128, 256) for _ in range(random.randrange(1, 40)))
            elif kind < 0.95:
                line = random.choice(glosses) + b"\x00" + random.choice(glosses)
            else:
                line = random.choice(glosses) + b"\r"
            out.write(line + b"\n")


def run(arguments, path, consume):
    """Runs a fewshot command on the file, streaming its stdout into consume(line_number, line);
    returns (lines printed, peak RSS in MB, exit status)."""
    with tempfile.NamedTemporaryFile() as timing:
        process = subprocess.Popen(["/usr/bin/time", "-f", "%M", "-o", timing.name] + arguments + [path],
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        printed = 0
        for line in process.stdout:
            consume(printed, line)
            printed += 1
        status = process.wait()
        rss = int(open(timing.name).read().split()[-1]) / 1024
    return printed, rss, status


def soak(bin, classifier, path, lines, model):
    empty = set()
    def tokens(number, line):
        if line.strip() == b"[CLS] [SEP]":
            empty.add(number)
    results = {}
    results["tokenize"] = run([bin, "tokenize", "--vocab", model["vocab"]], path, tokens)
    misplaced = []
    def labels(number, line):
        if (line.rstrip(b"\n").split(b"\t", 1)[0] == b"") != (number in empty):
            misplaced.append(number)
    results["classify"] = run([bin, "classify", classifier], path, labels)
    empty_row = []
    def close(line):
        values = [float(x) for x in line.split()]
        return len(values) == len(empty_row[0]) and max(abs(a - b) for a, b in zip(values, empty_row[0])) < 1e-4
    def rows(number, line):
        # The empty text's embedding, up to rounding (rows computed in different batches differ
        # in the last bits).
        if number in empty:
            if not empty_row:
                empty_row.append([float(x) for x in line.split()])
            elif not close(line):
                misplaced.append(number)
        elif empty_row and close(line):
            misplaced.append(number)
    results["embed"] = run([bin, "embed", "--model", model["path"]], path, rows)
    for name, (printed, rss, status) in results.items():
        print(f"| {name} | {lines:,} | {printed:,} | {status} | {rss:.0f} |")
    return results, len(empty), misplaced


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--model", default="default")
    options = parser.parse_args()
    bin = binary()
    work = tempfile.mkdtemp(prefix="fewshot-soak-")
    classifier = os.path.join(work, "topics.fsc")
    subprocess.run([bin, "train", "--model", options.model, "--examples", os.path.join(ROOT, "examples/support.tsv"),
                    "-o", classifier], check=True, stderr=subprocess.DEVNULL)
    model = {"path": options.model, "vocab": os.path.join(ROOT, "Tests/TokenizationTests/Fixtures/minilm_vocab.txt")}
    print("| command | input lines | output lines | exit | peak RSS MB |")
    print("|---|---|---|---|---|")
    failures = []
    for count in (options.lines // 10, options.lines):
        path = os.path.join(work, f"soak-{count}.txt")
        make_input(path, count)
        results, empty, misplaced = soak(bin, classifier, path, count, model)
        for name, (printed, rss, status) in results.items():
            if printed != count or status != 0:
                failures.append(f"{name}: {printed} lines for {count}, exit {status}")
        if misplaced:
            failures.append(f"{len(misplaced)} lines out of place at {count} lines, first {misplaced[:5]}")
        print(f"({count:,} lines: {empty:,} without text, all in place: {not misplaced})")
        os.remove(path)
    if failures:
        print("FAILED: " + "; ".join(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
