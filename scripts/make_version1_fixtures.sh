#!/usr/bin/env bash
# Regenerates the version-1 classifier fixtures of Tests/FewShotCLITests/Fixtures (what
# `versionOneFilesStillClassify...` loads): it builds fewshot as it was before the .fsc format
# became version 2 (commit fc79493) in a scratch worktree, trains the two classifiers on the
# committed example files with the tiny test encoder, and records their classify output.
#   usage: scripts/make_version1_fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/.."
fixtures=Tests/FewShotCLITests/Fixtures
scratch=$(mktemp -d)
trap 'git worktree remove --force "$scratch/tree" 2>/dev/null || true; rm -rf "$scratch"' EXIT
git worktree add --detach "$scratch/tree" fc79493 > /dev/null
(cd "$scratch/tree" && make -s build > /dev/null)
bin=$(cd "$scratch/tree" && make -s print-bin)
tiny=Tests/EmbeddingTests/Fixtures/tiny-bert
"$bin" train --model "$tiny" --examples "$fixtures/version1.examples.tsv" -o "$fixtures/version1.fsc"
"$bin" train --model "$tiny" --multi-label --examples "$fixtures/version1-multilabel.examples.tsv" -o "$fixtures/version1-multilabel.fsc"
for name in version1 version1-multilabel; do
    "$bin" classify "$fixtures/$name.fsc" --format json < "$fixtures/version1.queries.txt" > "$fixtures/$name.expected.json"
done
