import Dispatch
import Foundation
import Transformer

/// `fewshot bench kernels`: GEMM GFLOP/s on the encoder's shapes beside the measured FMA peak,
/// and the element-wise kernels' throughput. Each kernel is checked against the reference first.
public enum BenchKernels {
    public static func run(runs: Int, print: (String) -> Void) throws {
        let peak = measurePeak()
        print("bench kernels: \(machineDescription()), median of \(runs) runs")
        print(String(format: "FMA peak (register-only FMA loop at the build's vector width): %.1f GFLOP/s on 1 thread", peak))
        print("")
        print("| GEMM m×n×k | form | 1 thread GFLOP/s | % of peak | 2 threads GFLOP/s | 2-thread speed-up | max rel. error vs reference |")
        print("|---|---|---|---|---|---|---|")
        // Encoder shapes (512 tokens, hidden 384, FFN 1536), then the peer bench_gemm.py's shapes
        // (its M×K×N 384×1536×128, 128×384×1536, 128×384×384 and 1024³, written here as m×n×k).
        let shapes = [
            (512, 384, 384), (512, 1536, 384), (512, 384, 1536), (1024, 1024, 1024), (384, 128, 1536), (128, 1536, 384), (128, 384, 384),
        ]
        for (m, n, k) in shapes {
            for (name, transposeA, transposeB) in [("NN", false, false), ("NT", false, true), ("TN", true, false)] {
                let a = randomMatrix(m * k, seed: 1)
                let b = randomMatrix(k * n, seed: 2)
                var c = [Float](repeating: 0, count: m * n)
                let lda = transposeA ? m : k
                let ldb = transposeB ? k : n
                let error = checkAgainstReference(a, b, &c, m, n, k, transposeA, transposeB, lda, ldb)
                var rates: [Double] = []
                for threads in [1, 2] {
                    let seconds = median(runs: runs) {
                        Gemm.multiply(
                            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: &c, ldc: n,
                            accumulate: false, threads: threads)
                    }
                    rates.append(2 * Double(m * n * k) / seconds / 1e9)
                }
                print(
                    String(
                        format: "| %d×%d×%d | %@ | %.1f | %.0f%% | %.1f | %.2f× | %.1e |", m, n, k, name, rates[0], rates[0] / peak * 100,
                        rates[1], rates[1] / rates[0], error))
            }
        }
        print("")
        print("| kernel | shape | Gelem/s |")
        print("|---|---|---|")
        let rows = 2048
        let columns = 384
        let x = randomMatrix(rows * columns, seed: 3)
        var y = [Float](repeating: 0, count: rows * columns)
        let gamma = [Float](repeating: 1, count: columns), beta = [Float](repeating: 0, count: columns)
        var mean = [Float](repeating: 0, count: rows), rstd = mean
        let layerNorm = median(runs: runs) {
            LayerNorm.forward(x, gamma: gamma, beta: beta, y: &y, mean: &mean, rstd: &rstd, rows: rows, columns: columns, epsilon: 1e-12)
        }
        print(String(format: "| LayerNorm forward | %d×%d | %.2f |", rows, columns, Double(rows * columns) / layerNorm / 1e9))
        let geluInput = randomMatrix(512 * 1536, seed: 4)
        var geluOutput = [Float](repeating: 0, count: 512 * 1536)
        let gelu = median(runs: runs) { GELU.forward(geluInput, &geluOutput, count: 512 * 1536) }
        print(String(format: "| GELU (erf) forward | 512×1536 | %.2f |", Double(512 * 1536) / gelu / 1e9))
        var scores = randomMatrix(12 * 64 * 64 * 8, seed: 5)
        let softmax = median(runs: runs) { Softmax.forward(&scores, rows: 12 * 64 * 8, columns: 64, stride: 64, scale: 0.17) }
        print(String(format: "| softmax rows | %d×64 | %.2f |", 12 * 64 * 8, Double(scores.count) / softmax / 1e9))
    }

    /// Compares 200 sampled entries of C with a Double dot product.
    static func checkAgainstReference(
        _ a: [Float], _ b: [Float], _ c: inout [Float], _ m: Int, _ n: Int, _ k: Int, _ tA: Bool, _ tB: Bool, _ lda: Int, _ ldb: Int
    ) -> Double {
        Gemm.multiply(transposeA: tA, transposeB: tB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: &c, ldc: n, accumulate: false)
        var worst = 0.0
        for sample in 0..<200 {
            let i = (sample * 7919) % m
            let j = (sample * 104_729) % n
            var sum = 0.0
            for p in 0..<k {
                sum += Double(tA ? a[p * lda + i] : a[i * lda + p]) * Double(tB ? b[j * ldb + p] : b[p * ldb + j])
            }
            worst = max(worst, abs(Double(c[i * n + j]) - sum) / max(1, abs(sum)))
        }
        return worst
    }

    static func randomMatrix(_ count: Int, seed: UInt64) -> [Float] {
        var random = SeededRandom(seed: seed)
        return (0..<count).map { _ in random.unitFloat() * 2 - 1 }
    }

    /// Median wall time of `runs` calls after one warm-up call; a failing call ends the
    /// benchmark with its error (a failed run is never reported as a time).
    static func median(runs: Int, _ body: () throws -> Void) rethrows -> Double {
        try body()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[times.count / 2]
    }

    /// GFLOP/s of a loop of independent SIMD8 FMAs that never touches memory.
    static func measurePeak() -> Double {
        let iterations = 20_000_000
        var best = 0.0
        for _ in 0..<5 {
            let start = DispatchTime.now().uptimeNanoseconds
            let sink = fmaLoop(iterations)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            blackHole(sink)
            best = max(best, Double(iterations) * 12 * Double(PeakVector.scalarCount) * 2 / seconds / 1e9)
        }
        return best
    }

    #if FEWSHOT_AVX512
        typealias PeakVector = SIMD16<Float>
    #else
        typealias PeakVector = SIMD8<Float>
    #endif

    @inline(never)
    static func fmaLoop(_ iterations: Int) -> Float {
        let b = PeakVector(repeating: 0.999_999), c = PeakVector(repeating: 1e-7)
        var a0 = PeakVector(repeating: 1), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0
        var a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0
        for _ in 0..<iterations {
            a0 = a0.addingProduct(b, c); a1 = a1.addingProduct(b, c); a2 = a2.addingProduct(b, c); a3 = a3.addingProduct(b, c)
            a4 = a4.addingProduct(b, c); a5 = a5.addingProduct(b, c); a6 = a6.addingProduct(b, c); a7 = a7.addingProduct(b, c)
            a8 = a8.addingProduct(b, c); a9 = a9.addingProduct(b, c); a10 = a10.addingProduct(b, c); a11 = a11.addingProduct(b, c)
        }
        let sum = a0 + a1 + a2 + a3 + a4 + a5 + a6 + a7 + a8 + a9 + a10 + a11
        return sum[0]
    }

    /// Keeps a value alive so the loop that made it is not optimised away.
    @inline(never)
    static func blackHole(_ value: Float) { withExtendedLifetime(value) {} }

    static func machineDescription() -> String {
        let cpu =
            (try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("model name") }?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "unknown CPU"
        return "\(cpu), \(ProcessInfo.processInfo.activeProcessorCount) cores, \(Date())"
    }
}
