import Foundation
import Transformer

/// What an encoder forward pass costs, and what the machine's GEMM does on the same shape, so
/// that `bench encode` and `bench classify` report achieved GFLOP/s beside the rate they could
/// reach: the ratio holds across machines where absolute figures do not.
enum ForwardCost {
    /// Floating-point operations of one forward pass over sequences of these lengths:
    /// 2 · multiply-adds of Q, K, V, the attention output and the two FFN products per token,
    /// plus the L×L attention products per sequence (L² · C each, twice).
    static func flops(config: EncoderConfig, lengths: [Int]) -> Double {
        let (c, f) = (Double(config.hidden), Double(config.intermediate))
        let tokens = Double(lengths.reduce(0, +))
        let squares = lengths.reduce(0.0) { $0 + Double($1) * Double($1) }
        return 2 * Double(config.layers) * (tokens * (4 * c * c + 2 * c * f) + 2 * squares * c)
    }

    /// Median GFLOP/s of the model's largest dense product at inference (rows × FFN × hidden,
    /// weights packed once, as the encoder runs it) on `threads` threads.
    static func gemmRate(config: EncoderConfig, rows: Int, threads: Int, runs: Int) -> Double {
        let (c, f) = (config.hidden, config.intermediate)
        let input = (0..<rows * c).map { Float(($0 * 7919) % 1000) / 1000 - 0.5 }
        let weights = (0..<f * c).map { Float(($0 * 104_729) % 1000) / 20_000 - 0.025 }
        let packed = PackedMatrix(transposed: true, weights, ldb: c, k: c, n: f)
        var output = [Float](repeating: 0, count: rows * f)
        let seconds = BenchKernels.median(runs: runs) {
            Gemm.multiply(
                transposeA: false, m: rows, a: input, lda: c, packed: packed, c: &output, ldc: f, accumulate: false, threads: threads)
        }
        return 2 * Double(rows) * Double(f) * Double(c) / seconds / 1e9
    }
}
