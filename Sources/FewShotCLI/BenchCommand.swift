import Foundation
import Storage
import Tokenization

/// `fewshot bench`: the performance tables (run on a release build).
enum BenchCommand {
    static let command = Command(
        name: "bench",
        summary: "Measure performance: 'bench tokenize [FILE]', 'bench kernels', 'bench encode', 'bench train', 'bench classify'.",
        usage:
            "tokenize [--vocab FILE] [--runs N] [FILE] | kernels | encode [--model PATH] [--lines FILE] | train | classify [--model MODEL] "
            + "[--lines FILE] [--threads LIST] [--batch LIST]",
        options: [
            .value("vocab", "FILE", "WordPiece vocabulary.", default: Resources.defaultVocabularyPath),
            .value("runs", "N", "Timed runs (the median is reported), after one warm-up run.", default: "5"),
            .value(
                "model", "MODEL",
                "encode: weights to time (default: random weights of the minilm-l6 shape); classify: the "
                    + "encoder (default: the shipped default)."
            ),
            .value(
                "lines", "FILE",
                "Real text, one line each (e.g. 40–80-word lines): encode adds a row for these lines; classify pipes them instead of "
                    + "examples/sample.txt."),
            .value("threads", "LIST", "classify: thread counts to run 'fewshot classify' with (FEWSHOT_THREADS).", default: "1,2"),
            .value("batch", "LIST", "classify: its --batch values to run.", default: "64"),
        ],
        discussion: """
            tokenize: single-threaded tokenization throughput over every line of FILE (one text per
            line; default: the texts of the shipped corpora), counted as HuggingFace's
            bench_tokenizer.py counts: MB = 10^6 bytes of UTF-8 input without newlines, tokens =
            word pieces without [CLS]/[SEP]; each timed run covers at least 20 MB. Prints a table of
            the median and all runs.

            kernels: GEMM GFLOP/s in the three forms on the encoder's shapes, 1 and 2 threads, beside
            the measured FMA peak (each product checked against a Double reference first), and the
            element-wise kernels' throughput.

            encode: sentences/s, tokens/s and achieved GFLOP/s of the all-MiniLM-L6-v2 shape (or
            --model) at 16, 64 and 128 tokens and on the lines of --lines FILE, batch 32, and batch-1
            latency, with 1 and 2 threads; each with the weights packed once (what inference does) and
            packed in every product, beside the GEMM rate on the same rows and threads (the model's
            FFN product with packed weights) and the share of it achieved.

            train: a training step (forward, backward, AdamW) of the default model and the minilm-l6
            shape: sequences/s and achieved GFLOP/s (3 × the forward FLOPs) beside the GEMM rate on the
            step's largest product.

            classify: 100,000 lines (or every line of --lines FILE, repeated to at least 5,000) piped
            into 'fewshot classify' with a classifier trained from examples/support.tsv, for each of
            --threads and --batch: lines/s, tokens/s, achieved GFLOP/s beside the GEMM rate on the
            same rows and threads, time to the first result, and the classify process's own peak RSS.
            """,
        positionals: 1...2)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        switch parsed.positionals[0] {
        case "tokenize":
            try benchTokenize(parsed)
        case "kernels":
            try BenchKernels.run(runs: try parsed.int("runs", in: 1...1000))
        case "classify":
            try BenchClassify.run(
                runs: try parsed.int("runs", in: 1...1000), model: parsed.string("model"), linesFile: parsed.string("lines"),
                threadCounts: try parsed.intList("threads", in: 1...256), batchSizes: try parsed.intList("batch", in: 1...100_000))
        case "train":
            try BenchTrain.run(runs: try parsed.int("runs", in: 1...1000))
        case "encode":
            try BenchEncode.run(
                runs: try parsed.int("runs", in: 1...1000), model: parsed.string("model"), linesFile: parsed.string("lines"))
        default:
            throw CLIError.usage(
                "unknown benchmark '\(parsed.positionals[0])' (known: tokenize, kernels, encode, train, classify)", command: command.name)
        }
    }

    static func benchTokenize(_ parsed: ParsedArguments) throws {
        let runs = try parsed.int("runs", in: 1...1000)
        let tokenizer = try Tokenizer(vocabularyFile: try Resources.vocabularyPath(try parsed.required("vocab")))
        let lines = try benchmarkLines(parsed.positionals.count > 1 ? parsed.positionals[1] : nil)
        let textBytes = lines.reduce(0) { $0 + $1.count }
        // Each timed run covers at least 20 MB (repeating the text) so timer noise stays small.
        let passes = max(1, 20_000_000 / max(textBytes, 1))
        let bytes = textBytes * passes
        var ids: [Int32] = []
        var scratch = Tokenizer.Scratch()
        var seconds: [Double] = []
        var tokens = 0
        for run in 0...runs {
            var count = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<passes {
                for line in lines {
                    line.withUnsafeBufferPointer {
                        tokenizer.encode($0, addSpecialTokens: false, into: &ids, scratch: &scratch)
                    }
                    count += ids.count
                }
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if run > 0 { seconds.append(elapsed) }
            tokens = count
        }
        let median = seconds.sorted()[seconds.count / 2]
        print(
            "bench tokenize: \(lines.count) lines, \(String(format: "%.1f", Double(textBytes) / 1e6)) MB, "
                + "\(tokens / passes) tokens (each run: \(passes) passes), vocab \(tokenizer.vocabulary.count), 1 thread"
        )
        print("| runs | median s | MB/s | M tokens/s | all runs (s) |")
        print("|---|---|---|---|---|")
        let all = seconds.map { String(format: "%.3f", $0) }.joined(separator: " ")
        print(
            String(
                format: "| %d | %.3f | %.2f | %.3f | %@ |", runs, median, Double(bytes) / 1e6 / median, Double(tokens) / 1e6 / median, all))
    }

    /// The lines of FILE, or the texts (second column) of the shipped corpora.
    static func benchmarkLines(_ path: String?) throws -> [[UInt8]] {
        var lines: [[UInt8]] = []
        if let path {
            try LineReader(path: path).forEachLine { lines.append(Array($0)) }
            return lines
        }
        let corpora = ["corpora/domains.tsv", "corpora/categories.tsv"].compactMap(Resources.locate)
        guard !corpora.isEmpty else {
            throw CLIError.runtime("no FILE given and the shipped corpora were not found", hint: "pass a text file")
        }
        for corpus in corpora {
            try LineReader(path: corpus).forEachLine { line in
                if let tab = line.firstIndex(of: 0x09) { lines.append(Array(line[(tab + 1)...])) }
            }
        }
        return lines
    }
}
