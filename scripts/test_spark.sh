#!/usr/bin/env bash
# `make test-spark`: fewshot classify on Spark (RDD.pipe over local-cluster mode, two executors),
# checked line for line against one plain process (scripts/spark_classify.py). Installs what a
# fresh machine lacks: a Java runtime (Debian's openjdk-17-jre-headless) and PySpark 4.x from PyPI
# in .venv-spark/. Not part of `make test`: the install is large and takes minutes.
#   usage: scripts/test_spark.sh [LINES]   (default 300000 lines of corpora/ text)
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-300000}
command -v java > /dev/null || scripts/apt_install.sh "a Java runtime (Spark needs Java 17+)" openjdk-17-jre-headless
if ! .venv-spark/bin/python -c "import pyspark, sys; sys.exit(int(pyspark.__version__.split('.')[0]) != 4)" 2> /dev/null; then
    echo "test-spark: installing PySpark 4.x into .venv-spark (pip)" >&2
    python3 -m venv .venv-spark
    .venv-spark/bin/pip install -q 'pyspark>=4.0,<5'
fi
make -s build > /dev/null
bin=$(make -s print-bin)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$bin" train --examples examples/support.tsv -o "$scratch/topics.fsc" 2> /dev/null
# Real lines of every genre, repeated up to the count, with damaged lines mixed in: empty, blank,
# and one with a tab, each of which must still give exactly one output line.
cut -f2 corpora/*.tsv > "$scratch/text.txt"
awk -v n="$count" 'BEGIN { srand(1) } { line[NR] = $0 } END {
    for (i = 0; i < n; i++) {
        r = i % 1000
        if (r == 0) print ""; else if (r == 1) print "   "; else if (r == 2) print "a\ttab"; else print line[1 + (i * 7919) % NR]
    } }' "$scratch/text.txt" > "$scratch/lines.txt"
.venv-spark/bin/python scripts/spark_classify.py "$bin" "$scratch/topics.fsc" "$scratch/lines.txt"
