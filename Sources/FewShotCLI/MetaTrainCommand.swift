import Corpus
import Embedding
import FewShot
import Foundation
import MetaLearning
import Storage
import Tokenization
import Transformer

/// `fewshot meta-train`: train an encoder on many few-shot tasks.
enum MetaTrainCommand {
    /// The library's defaults, shown in --help and used when an option is absent.
    static let defaults = MetaTrainingOptions()

    /// The options that set one field of `MetaTrainingOptions` each, in --help order.
    static let bindings: [TrainingOptionBinding] = [
        .int(
            "inner-steps", "N", \.innerSteps, in: 0...1000,
            "protomaml: adaptation steps on each episode's support set, as train --finetune-steps makes them."),
        .number("inner-lr", "RATE", \.innerLearningRate, "protomaml: their learning rate (train's --finetune-lr)."),
        .int("ways", "N", \.ways, in: 2...1000, "protonet/protomaml: classes per training episode."),
        .int("shots", "K", \.shots, in: 1...1000, "protonet/protomaml: support examples per class."),
        .int("queries", "Q", \.queries, in: 1...1000, "protonet/protomaml: query examples per class."),
        .int("episodes-per-step", "N", \.episodesPerStep, in: 1...1000, "protonet/protomaml: episodes per update."),
        .int("batch", "N", \.batchSize, in: 1...100_000, "pretrain/distill: examples per update."),
        .int("steps", "N", \.steps, in: 1...100_000_000, "Updates."),
        .number("lr", "RATE", \.learningRate, "Peak AdamW learning rate."),
        .int("warmup", "N", \.warmup, in: 0...100_000_000, "Warm-up steps before cosine decay."),
        .number("weight-decay", "W", \.weightDecay, "AdamW weight decay (not on biases and LayerNorm)."),
        .number("clip", "NORM", \.clip, "Gradient-norm clip."),
        .number(
            "anchor", "LAMBDA", \.anchorWeight,
            "L2-SP: pull toward the starting weights, λ/2·‖θ − θ₀‖² (for fine-tuning a pretrained encoder)."),
        .number("scale", "S", \.scale, "protonet: logit scale on normalized embeddings."),
        .int("validate-every", "N", \.validateEvery, in: 0...100_000_000, "Validate on the val labels every N steps; 0 = never."),
        .int("validation-episodes", "N", \.validationEpisodes, in: 1...1_000_000, "Episodes per validation."),
        .int("validation-ways", "N", \.validationWays, in: 2...1000, "Classes per validation episode."),
        .int("validation-shots", "K", \.validationShots, in: 1...1000, "Support examples per class in validation."),
        .int("validation-queries", "Q", \.validationQueries, in: 1...1000, "Query examples per class in validation."),
        .seed("validation-seed", \.validationSeed, "Seed of the validation episodes (fixed for the whole run)."),
        .int("patience", "N", \.patience, in: 0...1_000_000, "Stop after N validations without improvement (0 = never)."),
        .int("checkpoint-every", "N", \.checkpointEvery, in: 1...100_000_000, "Save the resumable state every N steps."),
        .seed("seed", \.seed, "Seed of every random choice."),
    ]

    static let command = Command(
        name: "meta-train",
        summary: "Meta-train an encoder on an index (ProtoNet, first-order Proto-MAML, pretraining, or distillation).",
        usage:
            "--index FILE.fsi [--init MODEL] [--method protonet|protomaml|pretrain|distill] [--teacher DIR] [options] -o MODEL.safetensors",
        options: [
            .value("index", "FILE", "The index made by 'fewshot index' (its train split is meta-train, its val split validates)."),
            .value(
                "output", short: "o", "FILE", "Where the best model goes; FILE.state holds the resumable state, FILE.log.jsonl the log."),
            .value("init", "MODEL", "Start from an encoder .safetensors or a BERT directory (default: a new encoder, see --size)."),
            .value(
                "size", "PRESET",
                "New encoder shape: small (2 layers, 128 hidden, 4 heads, FFN 512), minilm-l6, or LxH (e.g. "
                    + "3x256: 3 layers of width 256, FFN 4·H, 128 positions).",
                default: "small"),
            .value("vocab", "FILE", "Vocabulary of a new encoder (must be the index's).", default: Resources.defaultVocabularyPath),
            .value("method", "M", "protonet, protomaml (first-order Proto-MAML), pretrain or distill.", default: defaults.method.rawValue),
            .value("teacher", "DIR", "distill: the teacher (a BERT directory such as all-MiniLM-L6-v2, or an encoder file)."),
            .value(
                "teacher-cache", "FILE",
                "distill: where the teacher's embeddings of the meta-train texts are cached (reused by later "
                    + "runs on the same index and teacher; default: MODEL.teacher)."
            ),
            .value(
                "validation-family", "F,...",
                "Families whose val labels validate: the score is the mean of their accuracies ('any': episodes from every family).",
                default: defaults.validationFamily ?? "any"),
            .flag("resume", "Continue from FILE.state (same options required)."),
            .flag(
                "small-families",
                "protonet/protomaml: families with fewer labels than --ways (or --validation-ways), but two or more, give episodes of "
                    + "all their labels with as many texts as the others (e.g. 2-way 25-shot 25-query positive/negative "
                    + "episodes of the sentiment family beside 10-way 5-shot 5-query topics)."),
            .value(
                "family-weights", "F=W,...",
                "protonet/protomaml: draw the episodes of family F W times as often as those of a family not named (weight 1; W a "
                    + "whole number from 1 to 1000), e.g. sentiment=5."),
            .value(
                "open-set-ways", "U",
                "protonet: open-set episodes: U more labels of the episode's family give --queries lines each that belong "
                    + "to none of its labels (fewer where the family has too few), and a ranking loss pushes them below "
                    + "every known line's score for its own label (what 'classify --threshold' cuts). Needs --open-set-weight."),
            .value("open-set-weight", "W", "protonet: the ranking loss's weight beside the prototypical loss (> 0)."),
            .value(
                "plain-weight", "W",
                "protomaml: add ProtoNet's loss at the weights before the update, times W, to the loss at the adapted "
                    + "weights, so the prototypes stay good where the update does not pay (default 0: the adapted loss alone)."),
            .flag(
                "transfer-embeddings",
                "distill, new encoder with the teacher's vocabulary: start its token and position embeddings "
                    + "from the teacher's, projected on their principal directions."
            ),
        ]
            + bindings.map(\.option)
            + LayerOptions.options.map {
                Option(
                    name: $0.name, short: nil, valueName: $0.valueName,
                    help: "With --init: " + $0.help.prefix(1).lowercased() + $0.help.dropFirst(), defaultValue: nil)
            },
        discussion: """
            The best model (by validation accuracy) is written to -o as it improves; FILE.state is
            written every --checkpoint-every steps and on Ctrl-C, and --resume continues from it
            exactly as if the run had not stopped. A progress line goes to stderr and one JSON
            object per step to FILE.log.jsonl. A protomaml model is validated after the update it
            is trained for, in every episode (as 'eval --finetune-steps N --finetune-choice
            always'), which costs --inner-steps adaptation steps per validation episode: give it
            fewer --validation-episodes than protonet's 300. A protomaml model records its update
            (--inner-steps at --inner-lr), and 'train' and 'eval' make it by default.

            examples:
              fewshot meta-train --index corpora.fsi --method distill --teacher all-MiniLM-L6-v2/ --steps 3000 -o encoder.safetensors
              fewshot meta-train --index corpora.fsi --init encoder.safetensors --method protonet --steps 500 -o tuned.safetensors
            """,
        positionals: 0...0)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        let indexPath = try parsed.required("index")
        let output = try parsed.required("output")
        // The trained model may replace the model it started from (--init), nothing else read.
        try parsed.checkOutput(output, spelledAs: "-o", mayReplace: ["output", "init"])
        for path in [output + ".state", output + ".log.jsonl"] { try parsed.checkOutput(path, spelledAs: "-o", mayReplace: ["output"]) }
        // A cache that exists is read, not replaced, when it matches; it must not be an input either.
        try parsed.checkOutput(
            parsed.string("teacher-cache") ?? output + ".teacher", spelledAs: "--teacher-cache", mayReplace: ["teacher-cache"])
        let index = try CorpusIndex(path: indexPath)
        let options = try trainingOptions(parsed, index: index)
        let model = try startingModel(parsed, index: index, seed: options.seed, output: output)
        let progress = ProgressLine()
        let teacher = try teacherEmbeddings(
            parsed, method: options.method, index: index, student: model, output: output, progress: progress)
        let trainer = try MetaTrainer(options: options, index: index, model: model, output: output, teacher: teacher)
        if parsed.flag("resume") {
            try trainer.resume()
            printError("meta-train: resumed from \(output).state at step \(trainer.step)")
        }
        Interrupt.install()
        let log = try JSONLog(path: output + ".log.jsonl", append: parsed.flag("resume"))
        let start = Date()
        let firstStep = trainer.step
        try trainer.run(
            report: { report in
                try log.write(report)
                let elapsed = Date().timeIntervalSince(start)
                let perStep = elapsed / Double(max(1, report.step - firstStep))
                let eta = perStep * Double(options.steps - report.step)
                var line = String(format: "step %d/%d  loss %.4f", report.step, options.steps, report.loss)
                if let accuracy = report.accuracy { line += String(format: "  train acc %.3f", accuracy) }
                if let plainLoss = report.plainLoss, let plainAccuracy = report.plainAccuracy {
                    line += String(format: " (before the update: loss %.4f, acc %.3f)", plainLoss, plainAccuracy)
                }
                if let validation = report.validation {
                    line += String(format: "  val %.4f (best %.4f)", validation, trainer.bestValidation)
                }
                line += String(
                    format: "  lr %.2e  |g| %.3f  %.0f ex/s  ETA %@", report.learningRate, report.gradientNorm, report.examplesPerSecond,
                    ProgressLine.duration(eta))
                if report.validation != nil { printError(line) } else { progress.update(line) }
            }, shouldStop: { Interrupt.requested })
        progress.finish()
        if Interrupt.requested {
            throw CLIError.interrupted(
                "meta-train: interrupted at step \(trainer.step); state saved to \(output).state (continue with --resume)")
        }
        let validation =
            trainer.bestValidation < 0
            ? "no validation (the last step's weights)" : String(format: "best validation %.4f", trainer.bestValidation)
        printError(
            String(
                format: "meta-train: %d steps in %@; %@; model -> %@", trainer.step, ProgressLine.duration(Date().timeIntervalSince(start)),
                validation, output))
    }

    /// The run's options: each from its flag, or the library's default.
    static func trainingOptions(_ parsed: ParsedArguments, index: CorpusIndex) throws -> MetaTrainingOptions {
        var options = MetaTrainingOptions()
        guard let method = MetaTrainingOptions.Method(rawValue: try parsed.required("method")) else {
            throw CLIError.usage("--method must be protonet, protomaml, pretrain or distill", command: command.name)
        }
        options.method = method
        // Options of another method or start are refused, not silently ignored.
        for (names, wanted, rule) in [
            (["teacher", "teacher-cache", "transfer-embeddings"], method == .distill, "are for --method distill"),
            (["inner-steps", "inner-lr"], method == .protomaml, "are for --method protomaml"),
            (["size", "vocab"], !parsed.given("init"), "make a new encoder; an --init model has its own"),
        ] where !wanted {
            if let given = names.first(where: parsed.given) {
                throw CLIError.usage("--\(given): \(names.map { "--" + $0 }.joined(separator: ", ")) \(rule)", command: command.name)
            }
        }
        for binding in bindings { try binding.apply(&options, parsed) }
        if parsed.flag("small-families") {
            guard method == .protonet || method == .protomaml else {
                throw CLIError.usage("--small-families is for --method protonet or protomaml", command: command.name)
            }
            options.smallFamilies = true
        }
        if parsed.given("family-weights") {
            guard method == .protonet || method == .protomaml else {
                throw CLIError.usage("--family-weights is for --method protonet or protomaml", command: command.name)
            }
            options.familyWeights = try familyWeights(parsed, index: index)
        }
        if parsed.given("open-set-ways") || parsed.given("open-set-weight") {
            guard method == .protonet else {
                throw CLIError.usage("--open-set-ways and --open-set-weight are for --method protonet", command: command.name)
            }
            guard let ways = try parsed.optionalInt("open-set-ways", in: 1...1000),
                let weight = try parsed.optionalDouble("open-set-weight"),
                weight > 0, weight.isFinite
            else {
                throw CLIError.usage(
                    "--open-set-ways U (1 to 1000) and --open-set-weight W (> 0) go together", command: command.name)
            }
            options.openSetWays = ways
            options.openSetWeight = Float(weight)
        }
        if parsed.given("plain-weight") {
            guard method == .protomaml else { throw CLIError.usage("--plain-weight is for --method protomaml", command: command.name) }
            guard let weight = try parsed.optionalDouble("plain-weight"), weight >= 0, weight.isFinite else {
                throw CLIError.usage("--plain-weight must be a number ≥ 0", command: command.name)
            }
            options.plainWeight = Float(weight)
        }
        let family = try parsed.required("validation-family")
        options.validationFamily = family == "any" ? nil : family
        // The families are checked only where they are used: a run that never validates needs none.
        for name in try parsed.list("validation-family", { $0 })
        where family != "any" && options.validateEvery > 0 && !index.families.contains(name) {
            throw CLIError.runtime("the index has no family '\(name)' to validate on (it has: \(index.families.joined(separator: ", ")))")
        }
        return options
    }

    /// `--family-weights F=W,...`: each a family of the index and a whole weight in 1...1000.
    static func familyWeights(_ parsed: ParsedArguments, index: CorpusIndex) throws -> [String: Int] {
        var weights: [String: Int] = [:]
        for item in try parsed.list("family-weights", { $0 }) {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2, let weight = Int(parts[1]), (1...1000).contains(weight) else {
                throw CLIError.usage(
                    "--family-weights expects FAMILY=W with W a whole number from 1 to 1000, got '\(item)'", command: command.name)
            }
            guard index.families.contains(parts[0]) else {
                throw CLIError.runtime(
                    "the index has no family '\(parts[0])' to weigh (it has: \(index.families.joined(separator: ", ")))")
            }
            guard weights[parts[0]] == nil else {
                throw CLIError.usage("--family-weights gives '\(parts[0])' twice", command: command.name)
            }
            weights[parts[0]] = weight
        }
        return weights
    }

    /// The --init model (with its --layers selection), or a new encoder of --size.
    static func startingModel(_ parsed: ParsedArguments, index: CorpusIndex, seed: UInt64, output: String) throws -> SentenceEncoder {
        if let initial = parsed.string("init") {
            let model = try SentenceEncoder.load(initial)
            guard model.companion == nil else {
                throw CLIError.usage(
                    "meta-train trains one encoder: \(initial) has a companion (start from 'fewshot convert \(initial) --no-companion', "
                        + "and add the companion again with 'convert --companion' after training)", command: command.name)
            }
            return try LayerOptions.apply(parsed, to: model, command: command)
        }
        guard parsed.string("layers") == nil, parsed.string("max-positions") == nil else {
            throw CLIError.usage("--layers and --max-positions select from an --init model", command: command.name)
        }
        let tokenizer = try Tokenizer(vocabularyFile: try Resources.vocabularyPath(try parsed.required("vocab")))
        let size = try parsed.required("size")
        guard let config = EncoderConfig.preset(size, vocabularySize: tokenizer.vocabulary.count) else {
            throw CLIError.usage("unknown --size '\(size)'", command: command.name)
        }
        return try SentenceEncoder.fresh(config: config, tokenizer: tokenizer, index: index, seed: seed, path: output)
    }

    /// distill: the teacher's embeddings of the meta-train texts (cached), and with
    /// --transfer-embeddings the student's embedding tables started from the teacher's.
    static func teacherEmbeddings(
        _ parsed: ParsedArguments, method: MetaTrainingOptions.Method, index: CorpusIndex, student: SentenceEncoder, output: String,
        progress: ProgressLine
    ) throws -> TeacherEmbeddings.Table? {
        guard method == .distill else { return nil }
        guard let teacherPath = parsed.string("teacher") else {
            throw CLIError.usage("--method distill needs --teacher DIR", command: command.name)
        }
        let teacherModel = try SentenceEncoder.load(teacherPath)
        let examples = index.exampleIDs(split: .train)
        let teacher = try TeacherEmbeddings.load(
            teacher: teacherModel, index: index, examples: examples, cache: parsed.string("teacher-cache") ?? output + ".teacher"
        ) { progress.update($0) }
        progress.finish()
        if parsed.flag("transfer-embeddings") && !parsed.flag("resume") {
            guard parsed.string("init") == nil else {
                throw CLIError.usage("--transfer-embeddings is for a new encoder (no --init)", command: command.name)
            }
            try EmbeddingTransfer.initialize(student: student.encoder, from: teacherModel.encoder)
            printError(
                "meta-train: token and position embeddings transferred from the teacher (top \(student.dimension) principal directions)")
        }
        return teacher
    }
}
