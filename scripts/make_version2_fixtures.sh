#!/usr/bin/env bash
# Regenerates the version-2 classifier fixtures of Tests/FewShotCLITests/Fixtures (what
# `olderFilesStillClassify...` loads): it builds fewshot as it was before the .fsc format became
# version 3 (commit 8a3348a) in a scratch worktree, then writes, with the tiny test encoder:
# version2.fsc (trained, then --update with more examples), version2-notexts.fsc (--no-texts),
# version2-merged.fsc (two classifiers merged) and version2-multilabel.fsc, and records their
# classify output.
#   usage: scripts/make_version2_fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=Tests/FewShotCLITests/Fixtures
scratch=$(mktemp -d)
trap 'git worktree remove --force "$scratch/tree" 2>/dev/null || true; rm -rf "$scratch"' EXIT
git worktree add --detach "$scratch/tree" 8a3348a > /dev/null
(cd "$scratch/tree" && make -s build > /dev/null)
bin=$(cd "$scratch/tree" && make -s print-bin)
tiny=Tests/EmbeddingTests/Fixtures/tiny-bert
"$bin" train --model "$tiny" --examples "$fixtures/version1.examples.tsv" -o "$fixtures/version2.fsc"
"$bin" train --update "$fixtures/version2.fsc" "$fixtures/version2.more.tsv"
"$bin" train --model "$tiny" --no-texts --examples "$fixtures/version1.examples.tsv" -o "$fixtures/version2-notexts.fsc"
"$bin" train --model "$tiny" --examples "$fixtures/version2.more.tsv" -o "$scratch/more.fsc"
"$bin" merge "$fixtures/version2-notexts.fsc" "$scratch/more.fsc" -o "$fixtures/version2-merged.fsc"
"$bin" train --model "$tiny" --multi-label --examples "$fixtures/version1-multilabel.examples.tsv" -o "$fixtures/version2-multilabel.fsc"
for name in version2 version2-notexts version2-merged version2-multilabel; do
    "$bin" classify "$fixtures/$name.fsc" --format json < "$fixtures/version1.queries.txt" > "$fixtures/$name.expected.json"
done
