import Dispatch
import Embedding
import FewShot
import Foundation
import Transformer

/// `fewshot bench encode`: encoder inference speed on the all-MiniLM-L6-v2 shape (or a given
/// model), as the peer `bench_minilm.py` measures onnxruntime: sequences of 16, 64 and 128 tokens
/// (capped at the model's positions), batch 32 throughput and batch 1 latency, 1 and 2 threads;
/// sentences/s, tokens/s and the achieved GFLOP/s (2 · multiply-adds of the forward pass); each
/// setting with the weights packed once (what inference does) and packed in every product (the
/// earlier path), measured back to back so that the ratio holds on a noisy machine.
enum BenchEncode {
    static func run(runs: Int, model: String?) throws {
        let encoder: BertEncoder<Float>
        if let model {
            encoder = try SentenceEncoder.load(model).encoder
        } else {
            encoder = try BertEncoder<Float>(config: .minilmL6)
        }
        let config = encoder.config
        print(
            "bench encode: \(model ?? "random weights"), \(config.layers) layers, hidden \(config.hidden), "
                + "\(config.heads) heads, FFN \(config.intermediate); \(BenchKernels.machineDescription())"
        )
        print("")
        print("| tokens per sentence | batch | threads | weights | sentences/s | tokens/s | GFLOP/s | ms per batch |")
        print("|---|---|---|---|---|---|---|---|")
        var random = SeededRandom(seed: 9)
        for length in Set([16, 64, 128].map { min($0, config.maxPositions) }).sorted() {
            for (batchSize, threadCounts) in [(32, [1, 2]), (1, [1, 2])] {
                let sequences = (0..<batchSize).map { _ in
                    [Int32(101)] + (0..<length - 2).map { _ in Int32(1000 + random.below(20000)) } + [Int32(102)]
                }
                let batch = TokenBatch(sequences: sequences)
                for threads in threadCounts {
                    encoder.threads = threads
                    for packed in [true, false] {
                        encoder.packsWeightsAtInference = packed
                        let seconds = try BenchKernels.median(runs: batchSize == 1 ? runs * 10 : runs) {
                            _ = try encoder.forward(batch, normalize: true)
                        }
                        // Per layer and token: Q, K, V, output and the two FFN products, plus the L×L attention.
                        let (c, f, l) = (Double(config.hidden), Double(config.intermediate), Double(length))
                        let flops = 2 * Double(config.layers) * Double(batchSize) * l * (4 * c * c + 2 * c * f + 2 * l * c)
                        print(
                            String(
                                format: "| %d | %d | %d | %@ | %.1f | %.0f | %.1f | %.2f |", length, batchSize, threads,
                                packed ? "packed once" : "per product", Double(batchSize) / seconds, Double(batchSize * length) / seconds,
                                flops / seconds / 1e9, seconds * 1000))
                    }
                }
            }
        }
    }
}
