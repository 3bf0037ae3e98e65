import Benchmarks
import Foundation
import Storage
import Tokenization

/// `fewshot bench`: the performance tables (run on a release build).
enum BenchCommand {
    static let command = Command(
        name: "bench",
        summary: "Measure performance: 'bench tokenize [FILE]', 'bench kernels', 'bench encode', 'bench train', 'bench classify'.",
        usage:
            "tokenize [--vocab FILE] [--runs N] [FILE] | kernels | encode [--model MODEL] [--lines FILE] | train "
            + "| classify [--model MODEL] [--lines FILE] [--total N] [--threads LIST] [--batch LIST]",
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
            .flag(
                "open-set",
                "classify: run it with --threshold auto (the open-set score adds each line's closeness to the background topics)."),
            .value(
                "total", "N",
                "classify: lines piped in each run, --lines FILE repeated (default: 100,000 sample lines, or the file "
                    + "repeated to at least 5,000 lines); more for a fast model, whose start-up would otherwise count."),
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

            classify: 100,000 lines (or every line of --lines FILE, repeated to at least 5,000 or --total) piped
            into 'fewshot classify' with a classifier trained from examples/support.tsv, for each of
            --threads and --batch: lines/s, tokens/s, achieved GFLOP/s beside the GEMM rate on the
            same rows and threads, time to the first result, and the classify process's own peak RSS.
            """,
        positionals: 1...2)

    /// The options each benchmark reads; any other given is refused rather than ignored.
    static let optionsOf: [String: Set<String>] = [
        "tokenize": ["vocab", "runs"], "kernels": ["runs"], "train": ["runs"], "encode": ["runs", "model", "lines"],
        "classify": ["runs", "model", "lines", "total", "threads", "batch", "open-set"],
    ]

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        let runs = try parsed.int("runs", in: 1...1000)
        if let used = optionsOf[parsed.positionals[0]] {
            if let unused = command.options.map(\.name).first(where: { !used.contains($0) && parsed.given($0) }) {
                throw CLIError.usage("bench \(parsed.positionals[0]) does not use --\(unused)", command: command.name)
            }
            guard parsed.positionals.count == 1 || parsed.positionals[0] == "tokenize" else {
                throw CLIError.usage("bench \(parsed.positionals[0]) takes no file", command: command.name)
            }
        }
        let out: (String) -> Void = { print($0) }
        do {
            switch parsed.positionals[0] {
            case "tokenize":
                let tokenizer = try Tokenizer(vocabularyFile: try Resources.vocabularyPath(try parsed.required("vocab")))
                let lines = try benchmarkLines(parsed.positionals.count > 1 ? parsed.positionals[1] : nil)
                try BenchTokenize.run(runs: runs, tokenizer: tokenizer, lines: lines, print: out)
            case "kernels":
                try BenchKernels.run(runs: runs, print: out)
            case "classify":
                try BenchClassify.run(
                    try classifyInputs(model: parsed.string("model")), runs: runs, linesFile: parsed.string("lines"),
                    total: try parsed.optionalInt("total", in: 1...100_000_000), threadCounts: try parsed.intList("threads", in: 1...256),
                    batchSizes: try parsed.intList("batch", in: 1...100_000), openSet: parsed.flag("open-set"),
                    print: out)
            case "train":
                try BenchTrain.run(runs: runs, print: out)
            case "encode":
                try BenchEncode.run(
                    runs: runs, model: try parsed.string("model").map(Resources.modelPath),
                    vocabularyPath: try Resources.vocabularyPath(Resources.defaultVocabularyPath), linesFile: parsed.string("lines"),
                    print: out)
            default:
                throw CLIError.usage(
                    "unknown benchmark '\(parsed.positionals[0])' (known: tokenize, kernels, encode, train, classify)",
                    command: command.name)
            }
        } catch let error as BenchmarkError {
            throw CLIError.runtime(error.description, hint: error.hint)
        }
    }

    /// The lines of FILE, or the texts (second column) of the shipped corpora.
    static func benchmarkLines(_ path: String?) throws -> [[UInt8]] {
        if let path { return try BenchmarkLines.lines(of: path) }
        let corpora = ["corpora/domains.tsv", "corpora/categories.tsv"].compactMap(Resources.locate)
        guard !corpora.isEmpty else {
            throw CLIError.runtime("no FILE given and the shipped corpora were not found", hint: "pass a text file")
        }
        return try BenchmarkLines.texts(ofCorpora: corpora)
    }

    /// The inputs of `bench classify`, found in the checkout.
    static func classifyInputs(model: String?) throws -> BenchClassify.Inputs {
        guard let support = Resources.locate("examples/support.tsv"), let sample = Resources.locate("examples/sample.txt") else {
            throw CLIError.runtime("examples/support.tsv and examples/sample.txt were not found", hint: "run from the fewshot checkout")
        }
        return BenchClassify.Inputs(
            executable: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"), support: support, sample: sample,
            model: try Resources.modelPath(model ?? "default"))
    }
}
