import Embedding
import FewShot
import Foundation
import Storage

/// `fewshot embed`: one sentence embedding per input line.
enum EmbedCommand {
    static let command = Command(
        name: "embed",
        summary: "Print the sentence embedding of each input line (space-separated floats, or .npy).",
        usage: "[--model PATH] [--format text|npy] [-o FILE] [--batch N] [FILE|-]",
        options: [
            .value(
                "model", "MODEL",
                "A shipped model by name (fast: static, fastest; default: 2 layers; accurate: meta-tuned "
                    + "all-MiniLM-L6-v2, slowest), an encoder .safetensors, or a HuggingFace BERT directory.",
                default: "default"),
            .value("format", "F", "text: one line of floats per input line; npy: a float32 matrix file (needs -o).", default: "text"),
            .value("output", short: "o", "FILE", "Write to FILE instead of standard output (atomically)."),
            .value(
                "batch", "N", "Lines encoded together (more is faster; results stream once a batch is full or input pauses).", default: "64"
            ),
        ],
        discussion: """
            Embeddings are mean-pooled over the tokens and L2-normalized, as sentence-transformers
            does. Every input line gives exactly one output row, in order (an empty line embeds the
            empty text).

            examples:
              fewshot embed --model ~/all-MiniLM-L6-v2 < sentences.txt
              fewshot embed --format npy -o vectors.npy corpus.txt
            """,
        positionals: 0...1)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        let format = try parsed.required("format")
        guard format == "text" || format == "npy" else { throw CLIError.usage("--format must be text or npy", command: command.name) }
        let output = try parsed.outputPath("output")
        if format == "npy" && output == nil { throw CLIError.usage("--format npy needs -o FILE", command: command.name) }
        let batchSize = try parsed.int("batch", in: 1...100_000)
        let model = try SentenceEncoder.load(try Resources.modelPath(try parsed.required("model")))
        let reader = try LineReader(path: parsed.positionals.first)
        reader.truncatesLongLines = true
        let writer = standardOutput
        var text: [UInt8] = []
        var matrix: [Float] = []
        var rows = 0
        var pending: [[UInt8]] = []
        let progress = ProgressLine()
        func flush() throws {
            guard !pending.isEmpty else { return }
            let embeddings = try model.embed(lines: pending)
            rows += pending.count
            progress.update("embed", done: rows, total: nil, unit: "lines")
            pending.removeAll(keepingCapacity: true)
            if format == "npy" {
                matrix.append(contentsOf: embeddings)
                return
            }
            let d = model.dimension
            for row in 0..<embeddings.count / d {
                let line = (0..<d).map { String(embeddings[row * d + $0]) }.joined(separator: " ")
                if output != nil {
                    text.append(contentsOf: line.utf8)
                    text.append(0x0A)
                } else {
                    writer.write(line)
                    writer.endLine()
                }
            }
            try writer.flush()
        }
        try reader.forEachLine(willRead: flush) { line in
            pending.append(Array(line))
            if pending.count >= batchSize { try flush() }
        }
        try flush()
        progress.finish()
        BadLines.reportCut(reader, command: "embed")
        if let output {
            if format == "npy" {
                try AtomicFile.write(NumpyFile.float32Matrix(matrix, rows: rows, columns: model.dimension), to: output)
            } else {
                try AtomicFile.write(text, to: output)
            }
            printError("embed: \(rows) rows of \(model.dimension) floats -> \(output)")
        }
    }
}
