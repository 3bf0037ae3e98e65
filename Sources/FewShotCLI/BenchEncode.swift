import Dispatch
import Embedding
import FewShot
import Foundation
import Transformer

/// `fewshot bench encode`: encoder inference speed on the all-MiniLM-L6-v2 shape, as the peer
/// `bench_minilm.py` measures onnxruntime (batch 32 throughput, batch 1 latency).
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
        print("| tokens per sentence | batch | threads | sentences/s | ms per batch |")
        print("|---|---|---|---|---|")
        var random = SeededRandom(seed: 9)
        for length in [16, 64] {
            for (batchSize, threadCounts) in [(32, [1, 2]), (1, [1, 2])] {
                let sequences = (0..<batchSize).map { _ in
                    [Int32(101)] + (0..<length - 2).map { _ in Int32(1000 + random.below(20000)) } + [Int32(102)]
                }
                let batch = TokenBatch(sequences: sequences)
                for threads in threadCounts {
                    encoder.threads = threads
                    let seconds = try BenchKernels.median(runs: batchSize == 1 ? runs * 10 : runs) {
                        _ = try encoder.forward(batch, normalize: true)
                    }
                    print(
                        String(
                            format: "| %d | %d | %d | %.1f | %.2f |", length, batchSize, threads, Double(batchSize) / seconds,
                            seconds * 1000))
                }
            }
        }
    }
}
