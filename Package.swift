// swift-tools-version:6.0
import PackageDescription

/// Release code must be built for a CPU with FMA: without a CPU target, every SIMD
/// `addingProduct` becomes a per-lane `fmaf` call and numeric kernels run ~100x slower
/// (see BENCHMARKS.md). x86-64-v3 (Haswell: AVX2 + FMA + F16C) is the portable floor here;
/// other architectures (arm64 has NEON and FMA in its baseline) need no flag.
#if arch(x86_64)
let cpuFlags: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "haswell"])]
#else
let cpuFlags: [SwiftSetting] = []
#endif

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
            dependencies: ["CUtf8proc"],
            swiftSettings: cpuFlags
        ),
        .target(
            name: "Storage",
            swiftSettings: cpuFlags
        ),
        .target(
            name: "Transformer",
            dependencies: ["Storage"],
            swiftSettings: cpuFlags
        ),
        .target(
            name: "FewShot",
            dependencies: ["Tokenization", "Storage", "Transformer"],
            swiftSettings: cpuFlags
        ),
        .executableTarget(
            name: "FewShotCLI",
            dependencies: ["Tokenization", "Storage", "Transformer", "FewShot"],
            swiftSettings: cpuFlags
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
