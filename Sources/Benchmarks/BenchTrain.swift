import Dispatch
import FewShot
import Foundation
import Transformer

/// `fewshot bench train`: speed of a training step (forward, backward, AdamW) for the default
/// model and the minilm-l6 shape, as examples/s and achieved GFLOP/s beside the GEMM rate.
public enum BenchTrain {
    public static func run(runs: Int, print: (String) -> Void) throws {
        print("bench train: \(BenchKernels.machineDescription()), \(Parallel.threads) threads, median of \(runs) steps")
        print("")
        print("| model | batch | tokens/sequence | step ms | sequences/s | GFLOP/s (3 × forward) | GEMM GFLOP/s, same rows | ratio |")
        print("|---|---|---|---|---|---|---|---|")
        for (name, config, batch, length) in [
            ("small (default)", EncoderConfig.small(vocabularySize: 8192), 128, 24),
            ("small (default)", EncoderConfig.small(vocabularySize: 8192), 200, 24),
            ("minilm-l6", EncoderConfig.minilmL6, 32, 24),
        ] {
            let encoder = try BertEncoder<Float>(config: config)
            let optimizer = AdamW(count: encoder.layout.count)
            var random = SeededRandom(seed: 1)
            let sequences = (0..<batch).map { _ in (0..<length).map { _ in Int32(random.below(config.vocabularySize)) } }
            let tokens = TokenBatch(sequences: sequences)
            let gradient = [Float](repeating: 0.01, count: batch * config.hidden)
            let seconds = try BenchKernels.median(runs: runs) {
                encoder.zeroGradients()
                _ = try encoder.forward(tokens, normalize: false, keepActivations: true)
                try gradient.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
                optimizer.update(
                    parameters: encoder.parameters, gradients: encoder.gradients, learningRate: 1e-5, weightDecay: 0.01,
                    decayed: [0..<encoder.layout.count])
            }
            let n = Double(batch * length)
            let c = Double(config.hidden), f = Double(config.intermediate), l = Double(length)
            let forward = Double(config.layers) * n * (2 * (4 * c * c + 2 * c * f) + 4 * l * c)
            let achieved = 3 * forward / seconds / 1e9
            // The GEMM rate on the step's largest product shape (tokens × FFN × hidden).
            let a = [Float](repeating: 0.5, count: batch * length * config.hidden)
            let b = [Float](repeating: 0.5, count: config.intermediate * config.hidden)
            var out = [Float](repeating: 0, count: batch * length * config.intermediate)
            let gemmSeconds = BenchKernels.median(runs: runs) {
                Gemm.multiply(
                    transposeA: false, transposeB: true, m: batch * length, n: config.intermediate, k: config.hidden, a: a,
                    lda: config.hidden, b: b, ldb: config.hidden, c: &out, ldc: config.intermediate, accumulate: false)
            }
            let gemm = 2 * n * f * c / gemmSeconds / 1e9
            print(
                String(
                    format: "| %@ | %d | %d | %.1f | %.0f | %.1f | %.1f | %.0f%% |", name, batch, length, seconds * 1000,
                    Double(batch) / seconds, achieved, gemm, achieved / gemm * 100))
        }
    }
}
