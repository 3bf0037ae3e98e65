import Corpus
import Embedding
import FewShot
import Foundation
import MetaLearning
import Storage
import Transformer

/// `fewshot convert`: re-store an encoder's weights as F16 (half the file) or F32, turn a
/// BERT directory into a self-contained encoder file, or distil a static encoder from one
/// (`StaticDistillation`).
enum ConvertCommand {
    static let command = Command(
        name: "convert",
        summary: "Rewrite an encoder (.safetensors or BERT directory) as a self-contained .safetensors in F16 or F32.",
        usage:
            "MODEL [--dtype f16|f32] [--layers I,J,...] [--max-positions N] [--static D [--frequencies INDEX.fsi]] "
            + "[--lexicon INDEX.fsi] [--companion MODEL2 [--companion-weight W] | --no-companion] [--background INDEX.fsi] "
            + "-o OUT.safetensors",
        options: [
            .value("dtype", "T", "Storage type of the weights (computation is always F32).", default: "f16"),
            .value("output", short: "o", "FILE", "The file to write (atomically)."),
            .value(
                "lexicon", "INDEX.fsi",
                "Store the IDF of this index's train split with the encoder, for the hybrid score of words and meaning "
                    + "(train and classify use it; a model keeps its lexicon through convert otherwise)."),
            .value("lexical-weight", "W", "The weight of the lexical score beside the dense one (choose it with 'eval --lexical')."),
            .value(
                "background", "INDEX.fsi",
                "Store the prototypes of this index's train topics (embedded by the model) with the encoder: the open-set "
                    + "score is a line's best score minus --background-weight times its closeness to them."),
            .value(
                "background-weight", "W",
                "How much the closeness to the background topics counts against the open-set score (choose it with "
                    + "'eval --open-set --background-weight').", default: "1"),
            .value("background-examples", "N", "Embed at most N lines of each train topic, evenly spaced (--background).", default: "30"),
            .value(
                "companion", "MODEL2",
                "Set a second encoder of the same vocabulary beside MODEL: a line's embedding is both views joined, so a cosine is "
                    + "(1 - W) times MODEL's plus W times MODEL2's (e.g. a small transformer and a static model)."),
            .value("companion-weight", "W", "The companion's share of every cosine, above 0 and below 1 (--companion).", default: "0.5"),
            .flag("no-companion", "Drop the model's companion: MODEL's own encoder alone (what meta-train and --static start from)."),
            .value(
                "static", "D",
                "Distil a static encoder of width D from MODEL: each token's output alone through MODEL, projected on their "
                    + "top D principal directions; a sentence is the normalized mean of its tokens' vectors (no layers)."),
            .value(
                "frequencies", "INDEX.fsi",
                "--static: weigh each token by a/(a+p), p its frequency in this index's train split (SIF, a = 0.001), "
                    + "so frequent tokens count less; without it every token weighs 1."),
        ] + LayerOptions.options,
        discussion: """
            F16 halves the file; values round to about 3 significant digits, which leaves the
            embeddings' evaluation unchanged within its confidence interval (check with 'fewshot eval').

            example:
              fewshot convert all-MiniLM-L6-v2/ --dtype f16 -o minilm-f16.safetensors
              fewshot convert all-MiniLM-L6-v2/ --layers 0,2,4 --max-positions 128 -o minilm-3layers.safetensors
              fewshot convert models/accurate.safetensors --static 256 --frequencies corpora.fsi -o static.safetensors

            A static encoder keeps MODEL's vocabulary and lexicon, and 128 positions (or --max-positions); tune
            it further with 'fewshot meta-train --init static.safetensors'.

            A companion adds its encoder to the file and its work to every line (a static one: a table lookup
            beside the transformer). Two views that err on different lines can beat either: measure the
            pair with 'fewshot eval', and store the background topics again after it (--background), since
            they are embeddings of both. Meta-training and a per-task update change MODEL's own encoder;
            the companion's half stays as it was. The shipped default is its 2-layer encoder with fast's
            vectors (tuned on sentiment too) beside it at weight 0.5 (models/README.md, "Two views of a
            line"); 'convert default --no-companion' gives its encoder alone.

            Background topics are embeddings of the model that stored them: convert keeps them, but
            --layers (other than every layer in order), --max-positions below the model's input
            length, --static, meta-train and a per-task adaptation change the embeddings and drop
            them (convert says so); store them again with --background (the shipped models use the
            train topics of the eight labelled genres, models/README.md).
            """,
        positionals: 1...1)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        guard let output = try parsed.outputPath("output", mayReplace: ["positionals"]) else {
            throw CLIError.usage("missing -o FILE", command: command.name)
        }
        let dtype: SafeTensors.DType
        switch try parsed.required("dtype") {
        case "f16": dtype = .f16
        case "f32": dtype = .f32
        default: throw CLIError.usage("--dtype must be f16 or f32", command: command.name)
        }
        var model = try LayerOptions.apply(
            parsed, to: try SentenceEncoder.load(try Resources.modelPath(parsed.positionals[0])), command: command,
            restoresBackground: parsed.given("background"))
        if parsed.flag("no-companion") {
            guard !parsed.given("companion") else {
                throw CLIError.usage("--companion and --no-companion exclude each other", command: command.name)
            }
            try dropCompanion(of: model, parsed: parsed)
        }
        if let dimension = try parsed.optionalInt("static") {
            model = try staticModel(from: model, dimension: dimension, parsed: parsed, output: output)
        } else if parsed.given("frequencies") {
            throw CLIError.usage("--frequencies weighs the tokens of a --static model", command: command.name)
        }
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
        if let path = parsed.string("companion") {
            try setCompanion(of: model, to: path, parsed: parsed)
        } else if parsed.given("companion-weight") {
            throw CLIError.usage("--companion-weight goes with --companion MODEL2", command: command.name)
        }
        if let indexPath = parsed.string("background") {
            model.background = try background(of: model, indexPath: indexPath, parsed: parsed)
        } else if parsed.given("background-weight") || parsed.given("background-examples") {
            throw CLIError.usage("--background-weight and --background-examples go with --background INDEX.fsi", command: command.name)
        }
        try model.save(to: output, dtype: dtype)
        if let background = model.background {
            printError("convert: \(background.count) background topics, weight \(background.weight)")
        }
        if let companion = model.companion {
            printError(
                "convert: companion of width \(companion.dimension) (\(companion.encoder.config.layers) layers), weight \(companion.weight)"
            )
        }
        if let lexicon = model.lexicon {
            printError("convert: lexicon of \(lexicon.terms.count) terms from \(lexicon.documents) documents, weight \(lexicon.weight)")
        }
        let companionParameters = model.companion.map { " (and \($0.encoder.layout.count) of the companion)" } ?? ""
        printError("convert: \(model.encoder.layout.count) parameters\(companionParameters) as \(dtype.rawValue) -> \(output)")
    }

    /// --companion MODEL2: its encoder beside `model`'s, at --companion-weight. It must read the
    /// same tokens (the same vocabulary, inputs as long) and be one encoder itself.
    static func setCompanion(of model: SentenceEncoder, to path: String, parsed: ParsedArguments) throws {
        let weight = try parsed.double("companion-weight")
        guard weight > 0, weight < 1 else { throw CLIError.usage("--companion-weight must be above 0 and below 1", command: command.name) }
        let other = try SentenceEncoder.load(try Resources.modelPath(path))
        guard other.companion == nil else {
            throw CLIError.usage("\(path) has a companion of its own: a companion is one encoder", command: command.name)
        }
        guard other.tokenizer.vocabulary.fingerprint == model.tokenizer.vocabulary.fingerprint else {
            throw CLIError.usage(
                "\(path) has another vocabulary than \(model.path): a companion reads the model's tokens", command: command.name)
        }
        try replaceCompanion(
            of: model, with: try Companion(encoder: other.encoder, weight: Float(weight)), by: "--companion", parsed: parsed)
    }

    /// --no-companion: `model`'s own encoder alone.
    static func dropCompanion(of model: SentenceEncoder, parsed: ParsedArguments) throws {
        guard model.companion != nil else { throw CLIError.usage("\(model.path) has no companion to drop", command: command.name) }
        try replaceCompanion(of: model, with: nil, by: "--no-companion", parsed: parsed)
    }

    /// Sets `model`'s companion (nil: none), which drops its background topics; says so unless
    /// --background stores them again.
    static func replaceCompanion(of model: SentenceEncoder, with companion: Companion?, by option: String, parsed: ParsedArguments) throws {
        let hadBackground = model.background != nil
        try model.setCompanion(companion)
        guard hadBackground && !parsed.given("background") else { return }
        printError(
            "convert: the background topics of \(model.path) are dropped (\(option) embeds lines differently); store them again with "
                + "'fewshot convert --background INDEX.fsi'")
    }

    /// --background: the prototypes of the index's train labels, each from at most
    /// --background-examples of its lines (evenly spaced through them), embedded by `model`.
    static func background(of model: SentenceEncoder, indexPath: String, parsed: ParsedArguments) throws -> BackgroundTopics {
        let weight = try parsed.double("background-weight")
        guard weight.isFinite, weight >= 0 else { throw CLIError.usage("--background-weight must be 0 or more", command: command.name) }
        let perLabel = try parsed.int("background-examples", in: 1...1_000_000)
        let index = try CorpusIndex(path: indexPath)
        let topics = index.labelIDs(split: .train)
        guard !topics.isEmpty else { throw CLIError.runtime("\(indexPath) has no train topics to store as the background") }
        var examples: [Int] = []
        var labels: [Int] = []
        for (position, label) in topics.enumerated() {
            let all = index.examplesByLabel[label]
            let picked = all.count <= perLabel ? all : (0..<perLabel).map { all[$0 * all.count / perLabel] }
            examples += picked
            labels += Array(repeating: position, count: picked.count)
        }
        let progress = ProgressLine()
        let embeddings = try model.embed(tokenized: ExampleTokens.ids(of: examples, in: index, for: model)) {
            progress.update("convert: \($0)/\(examples.count) background lines embedded")
        }
        progress.finish()
        return BackgroundTopics.fitted(
            embeddings: embeddings, labels: labels, labelCount: topics.count, dimension: model.dimension, weight: Float(weight))
    }

    /// --static D: the static encoder distilled from `teacher`, its tokens weighed by the
    /// frequencies of --frequencies' train split when given.
    static func staticModel(from teacher: SentenceEncoder, dimension: Int, parsed: ParsedArguments, output: String) throws
        -> SentenceEncoder
    {
        guard teacher.companion == nil else {
            throw CLIError.usage(
                "--static distils one encoder: \(teacher.path) has a companion (add --no-companion)", command: command.name)
        }
        guard (1...teacher.dimension).contains(dimension) else {
            throw CLIError.usage("--static must be 1 to \(teacher.dimension), the width of \(teacher.path)", command: command.name)
        }
        var counts: [Int]?
        if let indexPath = parsed.string("frequencies") {
            let index = try CorpusIndex(path: indexPath)
            let examples = index.exampleIDs(split: .train)
            guard !examples.isEmpty else { throw CLIError.runtime("\(indexPath) has no train examples to count tokens in") }
            var tokenCounts = [Int](repeating: 0, count: teacher.tokenizer.vocabulary.count)
            for ids in ExampleTokens.ids(of: examples, in: index, for: teacher) { for id in ids { tokenCounts[Int(id)] += 1 } }
            counts = tokenCounts
        }
        let progress = ProgressLine()
        let started = Date()
        let tokens = teacher.tokenizer.vocabulary.count
        let result = try StaticDistillation.distill(
            from: teacher, dimension: dimension, maxPositions: try parsed.optionalInt("max-positions") ?? 128, tokenCounts: counts,
            path: output
        ) { done in progress.update("convert: \(done)/\(tokens) tokens through \(teacher.path)") }
        progress.finish()
        printError(
            String(
                format: "convert: static encoder of width %d, %.1f%% of the token outputs' variance kept, tokens weighed %@, %@",
                dimension, 100 * result.explainedVariance, counts == nil ? "alike" : "by frequency (SIF)",
                ProgressLine.duration(Date().timeIntervalSince(started))))
        return result.model
    }
}
