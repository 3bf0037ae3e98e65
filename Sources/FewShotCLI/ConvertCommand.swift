import Corpus
import Embedding
import FewShot
import Foundation
import MetaLearning
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
            .value(
                "lexicon", "INDEX.fsi",
                "Store the IDF of this index's train split with the encoder, for the hybrid score of words and meaning "
                    + "(train and classify use it; a model keeps its lexicon through convert otherwise)."),
            .value("lexical-weight", "W", "The weight of the lexical score beside the dense one (choose it with 'eval --lexical')."),
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
        if let indexPath = parsed.string("lexicon") {
            let index = try CorpusIndex(path: indexPath)
            let examples = index.exampleIDs(split: .train)
            guard !examples.isEmpty else { throw CLIError.runtime("\(indexPath) has no train examples to fit the lexicon on") }
            model.lexicon = LexicalTable.fitted(documents: ExampleTokens.ids(of: examples, in: index, for: model))
        }
        if let weight = try parsed.optionalDouble("lexical-weight") {
            guard weight >= 0, model.lexicon != nil else {
                throw CLIError.usage(
                    "--lexical-weight needs a lexicon (--lexicon INDEX.fsi) and a weight of 0 or more", command: command.name)
            }
            model.lexicon?.weight = Float(weight)
        }
        try model.save(to: output, dtype: dtype)
        if let lexicon = model.lexicon {
            printError("convert: lexicon of \(lexicon.terms.count) terms from \(lexicon.documents) documents, weight \(lexicon.weight)")
        }
        printError("convert: \(model.encoder.layout.count) parameters as \(dtype.rawValue) -> \(output)")
    }
}
