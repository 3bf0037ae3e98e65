import Embedding
import FewShot
import Foundation
import Storage
import Transformer

/// `fewshot convert`: re-store an encoder's weights as F16 (half the file) or F32, or turn a
/// BERT directory into a self-contained encoder file.
enum ConvertCommand {
    static let command = Command(
        name: "convert",
        summary: "Rewrite an encoder (.safetensors or BERT directory) as a self-contained .safetensors in F16 or F32.",
        usage: "MODEL [--dtype f16|f32] [--layers I,J,...] [--max-positions N] -o OUT.safetensors",
        options: [
            .value("dtype", "T", "Storage type of the weights (computation is always F32).", default: "f16"),
            .value("output", short: "o", "FILE", "The file to write (atomically)."),
        ] + LayerOptions.options,
        discussion: """
            F16 halves the file; values round to about 3 significant digits, which leaves the
            embeddings' evaluation unchanged within its confidence interval (check with 'fewshot eval').

            example:
              fewshot convert all-MiniLM-L6-v2/ --dtype f16 -o minilm-f16.safetensors
              fewshot convert all-MiniLM-L6-v2/ --layers 0,2,4 --max-positions 128 -o minilm-3layers.safetensors
            """,
        positionals: 1...1)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        guard let output = try parsed.outputPath("output") else { throw CLIError.usage("missing -o FILE", command: command.name) }
        let dtype: SafeTensors.DType
        switch try parsed.required("dtype") {
        case "f16": dtype = .f16
        case "f32": dtype = .f32
        default: throw CLIError.usage("--dtype must be f16 or f32", command: command.name)
        }
        let model = try LayerOptions.apply(parsed, to: try SentenceEncoder.load(parsed.positionals[0]), command: command)
        try EncoderCheckpoint.save(model.encoder, metadata: .init(vocabulary: model.tokenizer.vocabulary), to: output, dtype: dtype)
        printError("convert: \(model.encoder.layout.count) parameters as \(dtype.rawValue) -> \(output)")
    }
}
