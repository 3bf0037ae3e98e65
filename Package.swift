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
        .library(name: "FewShot", targets: ["FewShot"]),
    ],
    targets: [
        .systemLibrary(
            name: "CUtf8proc",
            path: "Sources/CUtf8proc",
            pkgConfig: "libutf8proc",
            providers: [.apt(["libutf8proc-dev"])]
        ),
        .target(
            name: "Tokenization",
            dependencies: ["CUtf8proc"]
        ),
        .target(
            name: "Storage"
        ),
        .target(
            name: "Transformer",
            dependencies: ["Storage"]
        ),
        .target(
            name: "FewShot",
            dependencies: ["Tokenization", "Storage", "Transformer"]
        ),
        .executableTarget(
            name: "FewShotCLI",
            dependencies: ["Tokenization", "Storage", "Transformer", "FewShot"]
        ),
        .testTarget(
            name: "TokenizationTests",
            dependencies: ["Tokenization"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "StorageTests",
            dependencies: ["Storage"]
        ),
        .testTarget(
            name: "TransformerTests",
            dependencies: ["Transformer", "Storage"]
        ),
        .testTarget(
            name: "FewShotTests",
            dependencies: ["FewShot", "Tokenization", "Storage", "Transformer"],
            exclude: ["Fixtures"]
        ),
        .testTarget(
            name: "FewShotCLITests",
            dependencies: ["Tokenization"]
        ),
    ]
)
