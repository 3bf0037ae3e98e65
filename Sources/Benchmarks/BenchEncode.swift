import Dispatch
import Embedding
import FewShot
import Foundation
import Tokenization
import Transformer

/// `fewshot bench encode`: encoder inference speed on the all-MiniLM-L6-v2 shape (or a given
/// model), as the peer `bench_minilm.py` measures onnxruntime: sequences of 16, 64 and 128 tokens
/// (capped at the model's positions) and, with `--lines FILE`, real lines of their own lengths;
/// batch 32 throughput and batch 1 latency, 1 and 2 threads; sentences/s, tokens/s, the achieved
/// GFLOP/s (`ForwardCost`) and its share of the GEMM rate on the same rows and threads. Each
/// setting runs with the weights packed once (what inference does) and packed in every product
/// (the earlier path), back to back, so that the ratio holds on a noisy machine.
public enum BenchEncode {
    /// One length setting: the sequences of a batch-32 pass and of a batch-1 pass.
    struct Bucket {
        let label: String
        let throughput: [[Int32]]
        let latency: [[Int32]]
    }

    /// `model`: a model path, or nil for random weights of the minilm-l6 shape reading the
    /// vocabulary at `vocabularyPath`.
    public static func run(
        runs: Int, model: String?, vocabularyPath: String, linesFile: String?, print: (String) -> Void
    ) throws {
        // Random weights of the minilm-l6 shape read the shipped vocabulary, truncated at 128 tokens.
        let sentenceEncoder =
            try model.map(SentenceEncoder.load)
            ?? SentenceEncoder(
                tokenizer: try Tokenizer(vocabularyFile: vocabularyPath),
                encoder: try BertEncoder<Float>(config: .minilmL6),
                maxLength: 128, path: "random weights")
        let encoder = sentenceEncoder.encoder
        let config = encoder.config
        var buckets: [Bucket] = []
        var random = SeededRandom(seed: 9)
        for length in Set([16, 64, 128].map { min($0, config.maxPositions) }).sorted() {
            let sequences = (0..<32).map { _ in
                [Int32(101)] + (0..<length - 2).map { _ in Int32(1000 + random.below(min(20000, config.vocabularySize - 1000))) } + [
                    Int32(102)
                ]
            }
            buckets.append(Bucket(label: "\(length)", throughput: sequences, latency: [sequences[0]]))
        }
        if let linesFile {
            let lines = try BenchmarkLines.lines(of: linesFile).filter { !$0.isEmpty }
            guard !lines.isEmpty else { throw BenchmarkError("'\(linesFile)' has no lines to encode") }
            // 20 batches of 32 lines, and 32 lines one at a time, in file order.
            let tokenized = sentenceEncoder.tokenize(Array(lines.prefix(640)))
            let mean = Double(tokenized.reduce(0) { $0 + $1.count }) / Double(tokenized.count)
            buckets.append(
                Bucket(
                    label: String(format: "lines (%.1f)", mean), throughput: tokenized, latency: Array(tokenized.prefix(32))))
        }
        print(
            "bench encode: \(sentenceEncoder.path), \(config.layers) layers, hidden \(config.hidden), "
                + "\(config.heads) heads, FFN \(config.intermediate); \(BenchKernels.machineDescription())"
        )
        if let linesFile { print("lines: \(linesFile) (the row's label gives the mean tokens a line, [CLS] and [SEP] included)") }
        print("")
        print(
            "| tokens per sentence | batch | threads | weights | sentences/s | tokens/s | GFLOP/s | GEMM GFLOP/s, same rows | of GEMM "
                + "| ms per batch |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        var gemmRates: [String: Double] = [:]
        for bucket in buckets {
            for batchSize in [32, 1] {
                let sequences = batchSize == 1 ? bucket.latency : bucket.throughput
                let batches = stride(from: 0, to: sequences.count, by: batchSize).map {
                    TokenBatch(sequences: Array(sequences[$0..<min($0 + batchSize, sequences.count)]))
                }
                let tokens = sequences.reduce(0) { $0 + $1.count }
                let flops = ForwardCost.flops(config: config, lengths: sequences.map(\.count))
                let rows = tokens / sequences.count * batchSize
                for threads in [1, 2] {
                    encoder.threads = threads
                    let key = "\(rows) \(threads)"
                    let gemm =
                        gemmRates[key] ?? ForwardCost.gemmRate(config: config, rows: rows, threads: threads, runs: max(3, runs))
                    gemmRates[key] = gemm
                    for packed in [true, false] {
                        encoder.packsWeightsAtInference = packed
                        let seconds = try BenchKernels.median(runs: batchSize == 1 && batches.count == 1 ? runs * 10 : runs) {
                            for batch in batches { _ = try encoder.forward(batch, normalize: true) }
                        }
                        let achieved = flops / seconds / 1e9
                        print(
                            String(
                                format: "| %@ | %d | %d | %@ | %.1f | %.0f | %.1f | %.1f | %.0f%% | %.2f |", bucket.label, batchSize,
                                threads,
                                packed ? "packed once" : "per product", Double(sequences.count) / seconds, Double(tokens) / seconds,
                                achieved, gemm, achieved / gemm * 100, seconds * 1000 / Double(batches.count)))
                    }
                }
            }
        }
    }
}
