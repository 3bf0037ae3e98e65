#!/usr/bin/env python3
"""Runs `fewshot classify` over a text file on Spark through RDD.pipe, and checks it against one plain process.

Spark starts in local-cluster mode: a real standalone master and two executor processes (1 core and 1 GB
each) on this machine, so the binary and the classifier reach the executors as they would on a cluster,
shipped with SparkContext.addFile. Each partition's lines go through `./fewshot classify topics.fsc` (RDD.pipe
runs it in the executor's working directory, where addFile puts the files). Checks:
  - every partition's output has exactly its input's line count (and is in order, see below);
  - the concatenated outputs equal a plain `fewshot classify` of the same lines, line for line.
Prints lines/s of the Spark job beside the single process. Used by scripts/test_spark.sh (`make test-spark`).

  usage: spark_classify.py FEWSHOT_BINARY CLASSIFIER.fsc LINES.txt [--partitions 8] [--master local-cluster[2,1,1024]]
"""
import argparse
import os
import subprocess
import sys
import time

from pyspark import SparkConf, SparkContext


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("binary")
    ap.add_argument("classifier")
    ap.add_argument("lines")
    ap.add_argument("--partitions", type=int, default=8)
    ap.add_argument("--master", default="local-cluster[2,1,1024]")
    args = ap.parse_args()
    with open(args.lines, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    conf = (SparkConf().setMaster(args.master).setAppName("fewshot-classify")
            .set("spark.executor.memory", "1g").set("spark.ui.enabled", "false")
            .set("spark.ui.showConsoleProgress", "false"))
    sc = SparkContext(conf=conf)
    sc.setLogLevel("ERROR")
    try:
        sc.addFile(os.path.abspath(args.binary))
        sc.addFile(os.path.abspath(args.classifier))
        name, model = os.path.basename(args.binary), os.path.basename(args.classifier)
        rdd = sc.parallelize(lines, args.partitions).cache()
        inputs = rdd.glom().map(len).collect()  # also warms the executors before the timed job
        start = time.time()
        # Each partition: its line count, then its outputs; pipe keeps the partitioning.
        piped = rdd.pipe("./%s classify %s" % (name, model), checkCode=True)
        outputs = piped.glom().collect()
        spark_seconds = time.time() - start
    finally:
        sc.stop()
    problems = []
    for index, (count, output) in enumerate(zip(inputs, outputs)):
        if len(output) != count:
            problems.append("partition %d: %d lines in, %d out" % (index, count, len(output)))
    start = time.time()
    plain = subprocess.run([args.binary, "classify", args.classifier], input=("\n".join(lines) + "\n").encode("utf-8"),
                           capture_output=True, check=True).stdout.decode("utf-8").split("\n")[:-1]
    plain_seconds = time.time() - start
    joined = [line for output in outputs for line in output]
    if len(plain) != len(lines):
        problems.append("plain classify: %d lines in, %d out" % (len(lines), len(plain)))
    differing = [i for i, (a, b) in enumerate(zip(joined, plain)) if a != b]
    if differing:
        i = differing[0]
        problems.append("%d lines differ from the plain run; first at line %d: %r vs %r" % (len(differing), i + 1, joined[i],
                                                                                           plain[i]))
    print("spark %s: %d lines in %d partitions (%s), %.1f s, %.0f lines/s" % (
        args.master, len(lines), len(inputs), " ".join(map(str, inputs)), spark_seconds, len(lines) / spark_seconds))
    print("plain fewshot classify: %.1f s, %.0f lines/s" % (plain_seconds, len(lines) / plain_seconds))
    if problems:
        print("FAILED:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print("ok: every partition kept its line count and order; the outputs equal the plain run's")


if __name__ == "__main__":
    main()
