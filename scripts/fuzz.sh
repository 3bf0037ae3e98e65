#!/usr/bin/env bash
# libFuzzer harnesses (Tests/Fuzz/Harnesses) for every parser of untrusted input: the tokenizer
# and line reader, vocab.txt, safetensors/encoder/.fsc files, .fsi indexes, label<TAB>text,
# split and label files, the command-line parser, and meta-train logs (`fewshot report`). Builds the libraries and each harness with
# `swiftc -sanitize=fuzzer,address` (SwiftPM cannot link a libFuzzer main into a package
# executable), then runs each for FUZZ_SECONDS from the committed seed corpus in
# Tests/Fuzz/Corpus/<target> (new inputs go to .build/fuzz/corpus/<target>, crashes to
# .build/fuzz/crashes). Exits non-zero on the first crash. Leak detection is off: Foundation's
# FileManager.contents(atPath:) leaks a 4 KB buffer on an empty file (toolchain 6.3.1), which
# would stop every file-reading target at its first empty input.
#   usage: scripts/fuzz.sh [TARGET...]     (FUZZ_SECONDS=30 by default; targets: all)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-30}
out=.build/fuzz
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(tokenizer vocabulary modelfiles index labeledfiles arguments traininglog)
mkdir -p "$out/lib" "$out/crashes"
flags=(-O -parse-as-library -sanitize=fuzzer,address -I "$out/lib" -I Sources/CUtf8proc)

build_library() {  # module: a static library with coverage and address-sanitizer instrumentation
    local module=$1 library="$out/lib/lib$1.a"
    if [ -f "$library" ] && [ -z "$(find "Sources/$module" -name '*.swift' -newer "$library" | head -1)" ]; then return; fi
    echo "fuzz: building $module" >&2
    swiftc "${flags[@]}" -emit-library -static -module-name "$module" -emit-module \
        -emit-module-path "$out/lib/$module.swiftmodule" -o "$library" $(find "Sources/$module" -name '*.swift' | sort) 2> "$out/lib/$module.log" \
        || { cat "$out/lib/$module.log" >&2; exit 1; }
}
for module in Storage Tokenization Transformer Corpus Embedding FewShot MetaLearning Reports Benchmarks; do build_library "$module"; done
libraries=(-L "$out/lib" -lBenchmarks -lReports -lMetaLearning -lFewShot -lEmbedding -lCorpus -lTransformer -lTokenization -lStorage -lutf8proc)

for target in "${targets[@]}"; do
    harness="Tests/Fuzz/Harnesses/$target.swift"
    [ -f "$harness" ] || { echo "fuzz: no harness $harness" >&2; exit 2; }
    sources=("$harness" Tests/Fuzz/Harnesses/FuzzSupport.swift)
    # The argument parser and the log reader live in the executable: its files (all but main.swift)
    # join the harness.
    if [ "$target" = arguments ] || [ "$target" = traininglog ]; then
        sources+=($(find Sources/FewShotCLI -name '*.swift' ! -name main.swift | sort))
    fi
    echo "fuzz: building $target" >&2
    swiftc "${flags[@]}" -module-name "Fuzz_$target" "${sources[@]}" "${libraries[@]}" -o "$out/fuzz-$target" 2> "$out/$target.log" \
        || { cat "$out/$target.log" >&2; exit 1; }
    mkdir -p "$out/corpus/$target"
    [ -d "Tests/Fuzz/Corpus/$target" ] || { echo "fuzz: no seed corpus Tests/Fuzz/Corpus/$target (scripts/make_fuzz_seeds.sh)" >&2; exit 2; }
    echo "fuzz: running $target for $seconds s" >&2
    ASAN_OPTIONS=detect_leaks=0 "$out/fuzz-$target" -max_total_time="$seconds" -max_len=400000 -timeout=20 -rss_limit_mb=4096 -detect_leaks=0 \
        -artifact_prefix="$out/crashes/$target-" -print_final_stats=1 \
        "$out/corpus/$target" "Tests/Fuzz/Corpus/$target" 2> "$out/$target.run.log" \
        || { tail -40 "$out/$target.run.log" >&2; echo "fuzz: $target failed (a crash's input is in $out/crashes)" >&2; exit 1; }
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done|#[0-9]+.*DONE)' "$out/$target.run.log" | sed "s/^/fuzz: $target: /" >&2 || true
    tail -3 "$out/$target.run.log" | grep -E 'cov:|Done' | sed "s/^/fuzz: $target: /" >&2 || true
done
