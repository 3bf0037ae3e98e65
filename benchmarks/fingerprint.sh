#!/usr/bin/env bash
# The fingerprint of fewshot's outputs: one line per output (a digest, or the output itself where
# it is short), made by the release binary on small fixed inputs, so that a restructuring can show
# what it changed and what it did not:
#
#   benchmarks/fingerprint.sh > before.txt; (change the code; make build); benchmarks/fingerprint.sh > after.txt
#   diff before.txt after.txt
#
# It covers tokenize, index, embed, meta-train with each method (the trained weights, not the file
# headers, which name paths and versions), eval (accuracy, calibration, open-set, zero-shot, TF-IDF),
# train / classify / test, multi-label, --update, --remove, --keep-last, --rebuild, merge,
# --no-texts and the committed version-1 classifier fixtures. Classifier files are fingerprinted
# by what they print, not by their bytes, so a change of the .fsc layout alone changes nothing here.
# About 3 minutes on 2 cores. Set FEWSHOT to use another binary.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${FEWSHOT:-$(make -s print-bin)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

digest() { sha256sum | cut -c1-16; }
# The tensors of a safetensors file (names, shapes and data), without its metadata.
tensors() {
  python3 - "$1" <<'EOF'
import hashlib, json, struct, sys
data = open(sys.argv[1], "rb").read()
n = struct.unpack("<Q", data[:8])[0]
header = json.loads(data[8:8 + n])
body = data[8 + n:]
h = hashlib.sha256()
for name in sorted(k for k in header if k != "__metadata__"):
    info = header[name]
    start, end = info["data_offsets"]
    h.update(f"{name}{info['shape']}{info['dtype']}".encode())
    h.update(body[start:end])
print(h.hexdigest()[:16])
EOF
}
line() { printf '%-40s %s\n' "$1" "$2"; }

# A small corpus of two families with their committed splits: the first 40 examples of each label.
for family in domains bible; do
  awk -F'\t' '++seen[$1] <= 40' "corpora/$family.tsv" > "$work/$family.tsv"
  cp "corpora/$family.split" "$work/$family.split"
done
"$BIN" index "$work/domains.tsv" "$work/bible.tsv" -o "$work/small.fsi" 2> /dev/null
line "index small.fsi" "$(digest < "$work/small.fsi")"
line "tokenize sample" "$("$BIN" tokenize examples/sample.txt | digest)"
line "tokenize --ids sample" "$("$BIN" tokenize --ids examples/sample.txt | digest)"
line "embed sample" "$("$BIN" embed examples/sample.txt | digest)"

common=(--index "$work/small.fsi" --size small --steps 4 --validate-every 2 --validation-episodes 4 --checkpoint-every 2 --seed 3)
for method in protonet protomaml pretrain; do
  "$BIN" meta-train "${common[@]}" --method "$method" --ways 5 --shots 2 --queries 2 --batch 16 -o "$work/$method.safetensors" 2> /dev/null
  line "meta-train $method" "$(tensors "$work/$method.safetensors")"
done
"$BIN" meta-train "${common[@]}" --method distill --teacher models/default.safetensors --batch 16 \
  --init models/default.safetensors -o "$work/distill.safetensors" 2> /dev/null
line "meta-train distill" "$(tensors "$work/distill.safetensors")"

# eval's tables without what varies from run to run: the index's path and the "seconds" column.
canonical_eval() {
  sed "s#$work#WORK#g" | awk -F'|' -v OFS='|' '
    /^\| family/ { timed = ($(NF-1) == " seconds ") }
    /^$/ { timed = 0 }
    timed && NF > 2 { NF = NF - 2; $0 = $0 "|" }
    { print }'
}
evaluate() { "$BIN" eval --index "$work/small.fsi" --split test --episodes 30 --seed 5 "$@" 2> /dev/null | canonical_eval | digest; }
line "eval default by family" "$(evaluate --model default --family each --shots 1,5)"
line "eval tfidf" "$(evaluate --model tfidf --shots 1,5)"
line "eval default --calibration" "$(evaluate --model default --shots 5 --calibration)"
line "eval default --open-set 2" "$(evaluate --model default --shots 5 --open-set 2)"
line "eval default --zero-shot" "$(evaluate --model default --zero-shot)"

run_classifier() { # name, .fsc
  line "classify $1" "$("$BIN" classify "$2" examples/sample.txt --top 3 | digest)"
  line "classify --format json $1" "$("$BIN" classify "$2" examples/sample.txt --format json | digest)"
}
"$BIN" train --examples examples/support.tsv -o "$work/topics.fsc" 2> /dev/null
run_classifier topics "$work/topics.fsc"
line "classify --threshold auto topics" "$("$BIN" classify "$work/topics.fsc" examples/sample.txt --threshold auto --unknown '?' | digest)"
line "test topics (json)" "$("$BIN" test "$work/topics.fsc" examples/support.tsv --format json | digest)"

head -n 20 examples/support.tsv > "$work/first.tsv"
tail -n +21 examples/support.tsv > "$work/rest.tsv"
"$BIN" train --examples "$work/first.tsv" -o "$work/first.fsc" 2> /dev/null
"$BIN" train --examples "$work/rest.tsv" -o "$work/rest.fsc" 2> /dev/null
"$BIN" merge "$work/first.fsc" "$work/rest.fsc" -o "$work/merged.fsc" 2> /dev/null
run_classifier merged "$work/merged.fsc"
cp "$work/first.fsc" "$work/updated.fsc"
"$BIN" train --update "$work/updated.fsc" "$work/rest.tsv" 2> /dev/null
run_classifier updated "$work/updated.fsc"
"$BIN" train --update "$work/updated.fsc" --remove <(head -n 3 "$work/rest.tsv") 2> /dev/null
run_classifier "after --remove" "$work/updated.fsc"
"$BIN" train --update "$work/updated.fsc" --keep-last 3 2> /dev/null
run_classifier "after --keep-last 3" "$work/updated.fsc"
"$BIN" train --rebuild "$work/topics.fsc" --model "$work/protonet.safetensors" -o "$work/rebuilt.fsc" 2> /dev/null
run_classifier "rebuilt with protonet" "$work/rebuilt.fsc"
"$BIN" train --no-texts --examples examples/support.tsv -o "$work/notexts.fsc" 2> /dev/null
run_classifier "--no-texts" "$work/notexts.fsc"
"$BIN" train --temperature 12 --examples examples/support.tsv -o "$work/fixed.fsc" 2> /dev/null
run_classifier "--temperature 12" "$work/fixed.fsc"

fixtures=Tests/FewShotCLITests/Fixtures
"$BIN" train --multi-label --model Tests/EmbeddingTests/Fixtures/tiny-bert \
  --examples "$fixtures/version1-multilabel.examples.tsv" -o "$work/multi.fsc" 2> /dev/null
line "classify multi-label" "$("$BIN" classify "$work/multi.fsc" --format json < "$fixtures/version1.queries.txt" | digest)"
line "test multi-label (json)" "$("$BIN" test "$work/multi.fsc" "$fixtures/version1-multilabel.examples.tsv" --format json | digest)"
for name in version1 version1-multilabel; do
  line "classify fixture $name" "$("$BIN" classify "$fixtures/$name.fsc" --format json < "$fixtures/version1.queries.txt" | digest)"
done
