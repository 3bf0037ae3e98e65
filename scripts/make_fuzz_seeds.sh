#!/usr/bin/env bash
# Regenerates the seed inputs of Tests/Fuzz/Corpus that are made by fewshot itself (a small
# index, encoder and classifier; command lines), with the built binary. The text seeds there
# (tokenizer, vocabulary, labeledfiles) are excerpts of committed files.
#   usage: scripts/make_fuzz_seeds.sh [path/to/fewshot]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-$(make -s print-bin)}
corpus=Tests/Fuzz/Corpus
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
printf 'sport\tthe team won the match\nsport\ta goal in extra time\nlaw\tthe court heard the appeal\nlaw\ta judge and a jury\n' > "$scratch/small.tsv"
"$bin" index "$scratch/small.tsv" --max-length 16 -o "$corpus/index/small.fsi" 2> /dev/null
tiny=Tests/EmbeddingTests/Fixtures/tiny-bert
"$bin" convert "$tiny" --dtype f16 --max-positions 16 -o "$corpus/modelfiles/encoder.safetensors" 2> /dev/null
"$bin" train --model "$corpus/modelfiles/encoder.safetensors" --examples "$scratch/small.tsv" -o "$scratch/small.fsc" 2> /dev/null
cp "$scratch/small.fsc" "$corpus/modelfiles/classifier.fsc"
# The same with a lexicon, so that the hybrid score's tensors are fuzzed too.
"$bin" convert "$corpus/modelfiles/encoder.safetensors" --dtype f16 --lexicon "$corpus/index/small.fsi" -o "$scratch/lexicon.safetensors" 2> /dev/null
"$bin" train --model "$scratch/lexicon.safetensors" --examples "$scratch/small.tsv" -o "$corpus/modelfiles/classifier-lexicon.fsc" 2> /dev/null
# Command lines: the first byte picks the command (its position in `fewshot --help`), NUL
# separates arguments.
i=0
for line in \
    "--ids --max-length 8 -" "--size 100 --tsv a.tsv -o v.txt" "a.tsv --default-split test -o x.fsi" \
    "--model tfidf --index x.fsi --ways 5 --shots 1,5 --episodes 10" "--index x.fsi --steps 10 --lr 0.001 -o m.safetensors" \
    "--examples a.tsv --temperature fit -o t.fsc" "t.fsc --top 3 --threshold 0.5 --format json" "t.fsc a.tsv --format json" \
    "a.fsc b.fsc -o c.fsc" "--model default --format npy -o e.npy" "m --dtype f16 --layers 0,1 -o n.safetensors" "classify --runs 3" \
    "m.safetensors.log.jsonl -o curves.html"; do
    printf "\\x$(printf %02x $i)" > "$corpus/arguments/command-$i"
    printf '%s' "$line" | tr ' ' '\0' >> "$corpus/arguments/command-$i"
    i=$((i + 1))
done
ls -l "$corpus"/index "$corpus"/modelfiles | grep -v '^total'
