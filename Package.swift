// swift-tools-version:6.0
import PackageDescription

// Numeric code must be compiled for a CPU with FMA, or SIMD FMAs become per-lane library calls
// (~100x slower). The Makefile chooses the flags for the machine it runs on (AVX2+FMA, or
// AVX-512 with the matching GEMM kernel) and passes them to every build; the binary warns at
// start-up when it was built without them.

let package = Package(
    name: "fewshot",
    products: [
        .executable(name: "fewshot", targets: ["FewShotCLI"]),
        .library(name: "Tokenization", targets: ["Tokenization"]),
        .library(name: "Transformer", targets: ["Transformer"]),
        .library(name: "Embedding", targets: ["Embedding"]),
        .library(name: "FewShot", targets: ["FewShot"]),
        .library(name: "MetaLearning", targets: ["MetaLearning"]),
    ],
    // The pipeline, one module per stage; each depends only on the stages before it:
    // Storage, Tokenization -> Transformer -> Embedding -> FewShot (the product classifier)
    // Corpus (labelled files, splits, the index) -> MetaLearning (episodes, losses, methods,
    // trainer, evaluation; it measures what FewShot does) -> FewShotCLI. Reports (SVG charts and
    // self-contained HTML pages, knowing nothing of models) is used by the CLI alone, and so is
    // Benchmarks (`fewshot bench`: what it measures is the product's, the code is kept apart).
    targets: [
        .systemLibrary(
            name: "CUtf8proc",
            path: "Sources/CUtf8proc",
            pkgConfig: "libutf8proc",
            providers: [.apt(["libutf8proc-dev"])]
        ),
        .target(name: "Tokenization", dependencies: ["CUtf8proc"]),
        .target(name: "Storage"),
        .target(name: "Transformer", dependencies: ["Storage"]),
        .target(name: "Corpus", dependencies: ["Tokenization", "Storage"]),
        .target(name: "Embedding", dependencies: ["Tokenization", "Storage", "Transformer"]),
        .target(name: "FewShot", dependencies: ["Embedding", "Tokenization", "Storage", "Transformer"]),
        .target(
            name: "MetaLearning",
            dependencies: ["Corpus", "Embedding", "FewShot", "Tokenization", "Storage", "Transformer"]
        ),
        .target(name: "Reports"),
        .target(name: "Benchmarks", dependencies: ["Corpus", "Embedding", "FewShot", "Tokenization", "Storage", "Transformer"]),
        .executableTarget(
            name: "FewShotCLI",
            dependencies: [
                "Tokenization", "Storage", "Transformer", "Corpus", "Embedding", "FewShot", "MetaLearning", "Reports", "Benchmarks",
            ]
        ),
        .target(name: "TestSupport", dependencies: ["Tokenization", "Transformer"], path: "Tests/TestSupport"),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization"], exclude: ["Fixtures"]),
        .testTarget(name: "StorageTests", dependencies: ["Storage"]),
        .testTarget(name: "TransformerTests", dependencies: ["Transformer", "Storage", "TestSupport"]),
        .testTarget(name: "CorpusTests", dependencies: ["Corpus", "TestSupport", "Tokenization", "Storage"]),
        .testTarget(
            name: "EmbeddingTests",
            dependencies: ["Embedding", "TestSupport", "Tokenization", "Storage", "Transformer"],
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "FewShotTests", dependencies: ["FewShot", "Embedding", "Storage", "TestSupport", "Transformer"]),
        .testTarget(
            name: "MetaLearningTests",
            dependencies: ["MetaLearning", "Corpus", "Embedding", "FewShot", "TestSupport", "Tokenization", "Transformer"]
        ),
        .testTarget(name: "ReportsTests", dependencies: ["Reports"]),
        .testTarget(name: "FewShotCLITests", dependencies: ["Tokenization"], exclude: ["Fixtures", "HelpSnapshots"]),
    ]
)
