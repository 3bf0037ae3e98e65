#!/usr/bin/env bash
# Regenerates the README's pictures, docs/report.png and docs/curves.png, with the built binary
# and headless Chromium (scripts/ensure_browser.sh):
#   report.png  `fewshot test --report` of a classifier made from 5 examples of each of 8 WordNet
#               test-split domains (topics the shipped encoder never trained on), scored on the next
#               30 glosses of each;
#   curves.png  `fewshot report` of a short meta-training from scratch (600 steps, 2 x 128) on
#               the train topics of corpora/, validated every 50 steps on the val topics.
# Takes a few minutes (the meta-training). usage: scripts/make_report_screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(make -s print-bin)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
labels=$(awk -F'\t' '$2 == "test" {print $1}' corpora/domains.split | head -8)
for label in $labels; do
    awk -F'\t' -v label="$label" '$1 == label' corpora/domains.tsv | sed -n '1,5p' >> "$scratch/support.tsv"
    awk -F'\t' -v label="$label" '$1 == label' corpora/domains.tsv | sed -n '6,35p' >> "$scratch/test.tsv"
done
"$bin" train --examples "$scratch/support.tsv" -o "$scratch/domains.fsc"
"$bin" test "$scratch/domains.fsc" "$scratch/test.tsv" --report "$scratch/report.html" > /dev/null
"$bin" index corpora/*.tsv -o "$scratch/corpora.fsi"
"$bin" meta-train --index "$scratch/corpora.fsi" --size small --steps 600 --validate-every 50 --seed 1 \
    -o "$scratch/curves.safetensors"
"$bin" report "$scratch/curves.safetensors.log.jsonl" -o "$scratch/curves.html"
browser=$(command -v chromium || command -v chromium-browser)
for page in report:1800 curves:1350; do
    "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=900,${page#*:} \
        --screenshot="docs/${page%:*}.png" "file://$scratch/${page%:*}.html" 2> /dev/null
done
ls -l docs/report.png docs/curves.png
