import Corpus
import Embedding
import FewShot
import Foundation
import MetaLearning
import Storage
import Tokenization

/// `fewshot eval`: the standard episodic evaluation protocol.
enum EvalCommand {
    static let command = Command(
        name: "eval",
        summary: "Evaluate a model on N-way K-shot episodes: mean accuracy ± 95% interval.",
        usage:
            "--model tfidf --index FILE.fsi [--split test] [--family F] [--ways 5] [--shots 1,5] "
            + "[--queries 15] [--episodes 1000] [--seed 0]",
        options: [
            .value(
                "model", "MODEL",
                "What to evaluate: 'tfidf' (no-training baseline), a shipped model by name (fast, default, "
                    + "accurate), an encoder .safetensors, or a BERT directory.",
                default: "tfidf"),
            .value("index", "FILE", "The index made by 'fewshot index'."),
            .value("split", "S", "Split whose labels the episodes use.", default: "test"),
            .value(
                "family", "F",
                "Only labels of this family, or 'each': one table block per family (default: any family; each episode uses one family)."),
            .value("ways", "N", "Classes per episode.", default: "5"),
            .value("shots", "K,...", "Support examples per class; one table row per value.", default: "1,5"),
            .value("queries", "Q", "Query examples per class.", default: "15"),
            .value("episodes", "N", "Episodes per shot count.", default: "1000"),
            .value("seed", "N", "Seed of the episode sampler.", default: "0"),
            .value(
                "open-set", "U",
                "Also run open-set episodes (encoders): U more labels of the family give unknown queries; prints the AUROC of "
                    + "known vs unknown by best cosine, and the accuracy at the threshold fitted on each support set "
                    + "(as 'fewshot train' fits it for 'classify --threshold auto'; with --finetune-steps, as it fits an "
                    + "adapted classifier: on the check's held-out scores, the best score alone)."),
            .value(
                "background-weight", "W",
                "--open-set: how much a query's closeness to the model's background topics counts against its best score "
                    + "(default: the model's own weight; 0: the best score alone)."),
            .value(
                "unfitted-temperature", "T",
                "--calibration: the temperature when a support set allows no fit (one example per class).",
                default: "\(TemperatureFit.unfitted)"),
            .value(
                "lexical", "W,...",
                "Encoders: score with words too, cos(embedding, prototype) + W · cos(TF-IDF, TF-IDF centroid), as 'fewshot "
                    + "train' does; one table row per W, 0 = the embeddings alone, 'fit' = W chosen per episode by leave-one-out "
                    + "accuracy on its support set (the model's own W on ties and at 1 shot). Default: the model's own W (0 for "
                    + "a model without a lexicon). The IDF is the model's lexicon (else "
                    + "fitted on the index's meta-train split)."),
            .flag("zero-shot", "Also classify the same episodes' queries from the label names alone (no examples), beside chance."),
            .value(
                "vocab", "FILE", "--zero-shot with tfidf: the index's vocabulary, to tokenize the label names.",
                default: Resources.defaultVocabularyPath),
            .value(
                "active", "R",
                "Simulated labelling sessions instead of the accuracy table (encoders): from each episode's support set, R "
                    + "rounds that each add the true labels of --active-batch lines picked from a pool of unlabelled lines by "
                    + "each --strategy and by random picks; accuracy on the episode's other queries after every round."),
            .value("active-batch", "B", "--active: lines labelled per round.", default: "5"),
            .value("active-pool", "P", "--active: unlabelled pool lines per class (queries are P + --queries per class).", default: "20"),
            .value(
                "strategy", "S,...", "--active: the strategies compared with random picks (representative, diverse, margin).",
                default: "representative,diverse,margin"),
        ]
            + AdaptationOptions.options(
                steps: "Encoders: adapt the encoder on each episode's support set for N steps before classifying its queries, "
                    + "as 'fewshot train --finetune-steps N' adapts it, and put the weights back after each episode (scored "
                    + "with one --lexical weight, default the model's own; episodes run one at a time). 0: no adaptation. Not "
                    + "given, a model meta-trained for a per-task update ('meta-train --method protomaml') makes its own, "
                    + "always, where the tables allow.")
            + [
                .value(
                    "finetune-record", "FILE",
                    "--finetune-steps, or a model's own update: write one JSON line per episode to FILE: its family, the "
                        + "check's held-out counts and mean margins for both encoders, whether the adapted one was kept, and "
                        + "both encoders' query accuracy (the check then runs, and both encoders score, in every episode)."),
                .flag(
                    "calibration",
                    "Also report how calibrated the probabilities are (encoders): expected calibration error with "
                        + "the fixed temperature 20 and with the temperature fitted on each episode's support set, as "
                        + "'fewshot train' fits it (with --finetune-steps: as it fits an adapted classifier, a second pass "
                        + "over the episodes)."),
            ],
        discussion: """
            Labels with at least max(K) + Q examples are eligible, so every shot count draws from the
            same classes. Accuracy per episode is the fraction of its N·Q queries classified
            correctly; the table gives the mean over episodes, the 95% interval 1.96·std/√n and the
            episode std. The same seed gives the same episodes and numbers on every machine.

            tfidf: TF-IDF over WordPiece unigrams and bigrams (sublinear tf, smoothed idf, fitted on the
            index's meta-train split), nearest class centroid by cosine.
            An encoder (ours, or a BERT directory such as all-MiniLM-L6-v2): mean-pooled, L2-normalized
            embeddings, nearest prototype (mean of the support embeddings) by cosine. A model with
            another vocabulary than the index's re-tokenizes the stored texts.

            Measure on more than one kind of text: '--family each' gives one row per genre (family)
            whose split has enough labels, each with its own episodes.

            examples:
              fewshot eval --model tfidf --index corpora.fsi --split test --shots 1,5 --episodes 1000
              fewshot eval --model default --index corpora.fsi --family each
              fewshot eval --model default --index corpora.fsi --family each --lexical 0,1
              fewshot eval --model default --index corpora.fsi --family each --shots 1 --active 4 --episodes 200
              fewshot eval --model default --index sentiment.fsi --split val --ways 2 --shots 8 --finetune-steps 20 --episodes 100
            """,
        positionals: 0...0)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        let (evaluation, model) = try protocolAndModel(parsed)
        let started = Date()
        let (classifier, encoder) = try load(model, for: evaluation, backgroundWeight: try parsed.optionalDouble("background-weight"))
        let fitSeconds = Date().timeIntervalSince(started)
        let pool = evaluation.eligibleClasses.map { "\($0.family): \($0.labels.count) labels" }.joined(separator: ", ")
        print(
            "model \(model) · index \(evaluation.index.path) · split \(evaluation.split.rawValue) (\(pool)) · \(evaluation.ways)-way · "
                + "\(counted(evaluation.queries, "query", "queries")) · \(counted(evaluation.episodes, "episode")) · "
                + "seed \(evaluation.seed)"
        )
        print("")
        let weights = try lexicalWeights(parsed, model: encoder?.model)
        // The TF-IDF of the hybrid rows, made once for every table that uses words.
        let lexical = try weights.flatMap { $0.contains { $0.usesWords } ? try lexicalScores(encoder?.model, evaluation) : nil }
        if let rounds = try parsed.optionalInt("active", in: 1...1000), let prototypes = encoder?.prototypes {
            let scorer = scorer(prototypes, lexical: lexical, weights: weights)
            let session = ActiveLearning(
                rounds: rounds, batch: try parsed.int("active-batch", in: 1...100_000),
                pool: try parsed.int("active-pool", in: 1...100_000),
                unfittedTemperature: Float(try parsed.double("unfitted-temperature")))
            try printActive(evaluation, session, scorer, strategies: try activeStrategies(parsed))
            printError(String(format: "eval: test examples embedded in %.1f s", fitSeconds))
            return
        }
        let adaptation = try AdaptationOptions(
            parsed, command: command, trainedUpdate: try trainedUpdate(of: encoder?.model, parsed, weights))
        if adaptation.fromModel {
            printError(
                "eval: \(model) was meta-trained for a per-task update: making it in every episode (--finetune-steps 0: its "
                    + "prototypes as they are)")
        }
        if adaptation.settings.steps > 0, let model = encoder?.model {
            printError("eval: adapting the encoder on each episode's support set, \(adaptation.settings.summary)")
            var weight: Float = 0
            if case .fixed(let value)? = weights?.first { weight = value }
            let recordPath = try parsed.outputPath("finetune-record")
            let adapted = AdaptedPrototypeClassifier(
                model: model, index: evaluation.index, settings: adaptation.settings, choice: adaptation.choice, lexical: lexical,
                lexicalWeight: weight, recording: recordPath != nil,
                plain: encoder.map { scorer($0.prototypes, lexical: lexical, weights: [.fixed(weight)]) })
            try printAccuracy(evaluation, adapted, nil, lexical: nil, lexicalWeights: weights.map { _ in [.fixed(weight)] })
            if parsed.flag("calibration") {
                try printCalibration(evaluation, adapted, unfitted: Float(try parsed.double("unfitted-temperature")))
            }
            if let unknownClasses = try parsed.optionalInt("open-set", in: 1...1000) {
                try printOpenSet(evaluation, adapted, unknownClasses: unknownClasses)
            }
            if let recordPath, let records = adapted.records {
                let encoder = JSONEncoder()
                encoder.outputFormatting = .sortedKeys
                let lines = try records.map { String(decoding: try encoder.encode($0), as: UTF8.self) + "\n" }.joined()
                try AtomicFile.write(Array(lines.utf8), to: recordPath)
                printError("eval: \(records.count) episode records -> \(recordPath)")
            }
            if adaptation.choice == .auto {
                printError(
                    "eval: the check on the support set kept the adapted encoder in \(adapted.keptAdapted) of "
                        + "\(adapted.checkedEpisodes) episodes (the encoder as it is in the others)")
            }
            printError(String(format: "eval: test examples embedded in %.1f s", fitSeconds))
            return
        }
        try printAccuracy(evaluation, classifier, encoder?.prototypes, lexical: lexical, lexicalWeights: weights)
        if parsed.flag("zero-shot") { try printZeroShot(evaluation, classifier, encoder, parsed) }
        if let prototypes = encoder?.prototypes {
            // --open-set and --calibration take one weight (checked with the options).
            let scorer = scorer(prototypes, lexical: lexical, weights: weights)
            if let unknownClasses = try parsed.optionalInt("open-set", in: 1...1000) {
                try printOpenSet(evaluation, scorer, unknownClasses: unknownClasses)
            }
            if parsed.flag("calibration") {
                try printCalibration(evaluation, scorer, unfitted: Float(try parsed.double("unfitted-temperature")))
            }
        }
        printError(
            String(format: model == "tfidf" ? "eval: TF-IDF fitted in %.1f s" : "eval: test examples embedded in %.1f s", fitSeconds))
    }

    /// The protocol the options describe, and the model to evaluate; refuses what cannot work
    /// before any work is done.
    static func protocolAndModel(_ parsed: ParsedArguments) throws -> (EvaluationProtocol, model: String) {
        guard let indexPath = parsed.string("index") else { throw CLIError.usage("missing --index FILE.fsi", command: command.name) }
        guard let split = Split(rawValue: try parsed.required("split")) else {
            throw CLIError.usage("--split must be train, val or test", command: command.name)
        }
        let model = try parsed.required("model")
        let unknownClasses = try parsed.optionalInt("open-set", in: 1...1000)
        guard try parsed.double("unfitted-temperature") > 0 else {
            throw CLIError.usage("--unfitted-temperature must be positive", command: command.name)
        }
        if let weight = try parsed.optionalDouble("background-weight") {
            guard unknownClasses != nil, weight.isFinite, weight >= 0 else {
                throw CLIError.usage("--background-weight weighs the open-set score (--open-set U): 0 or more", command: command.name)
            }
        }
        if unknownClasses != nil && model == "tfidf" {
            throw CLIError.usage("--open-set needs an encoder (TF-IDF has no similarity scale to threshold)", command: command.name)
        }
        if parsed.given("lexical") {
            guard model != "tfidf" else {
                throw CLIError.usage("--lexical adds TF-IDF to an encoder's scores; give --model an encoder", command: command.name)
            }
            let weights = try lexicalWeights(parsed, prior: 1)
            if (unknownClasses != nil || parsed.flag("calibration")) && weights.count != 1 {
                throw CLIError.usage("--open-set and --calibration score with one --lexical weight; give one", command: command.name)
            }
        }
        let active = try parsed.optionalInt("active", in: 1...1000) != nil
        if active {
            guard model != "tfidf" else { throw CLIError.usage("--active needs an encoder", command: command.name) }
            _ = try activeStrategies(parsed)
            if try parsed.given("lexical") && lexicalWeights(parsed, prior: 1).count != 1 {
                throw CLIError.usage("--active scores with one --lexical weight; give one", command: command.name)
            }
            if unknownClasses != nil || parsed.flag("calibration") || parsed.flag("zero-shot") {
                throw CLIError.usage("--active runs alone: not with --open-set, --calibration or --zero-shot", command: command.name)
            }
            // Rounds past the pool would add no label while the table counted them.
            let (rounds, batch) = (try parsed.int("active", in: 1...1000), try parsed.int("active-batch", in: 1...100_000))
            let lines = try parsed.int("active-pool", in: 1...100_000) * parsed.int("ways", in: 1...100_000)
            guard rounds * batch <= lines else {
                throw CLIError.usage(
                    "--active \(rounds) × --active-batch \(batch) labels more lines than the pool holds "
                        + "(--active-pool × --ways = \(lines))",
                    command: command.name)
            }
        }
        let adaptationSteps = try AdaptationOptions(parsed, command: command).settings.steps
        if parsed.given("finetune-record") && adaptationSteps == 0 && (parsed.given("finetune-steps") || !carriesUpdate(model)) {
            throw CLIError.usage(
                "--finetune-record records the episodes of --finetune-steps N (N > 0), or of a model meta-trained for a per-task update",
                command: command.name)
        }
        if adaptationSteps > 0 {
            guard model != "tfidf" else {
                throw CLIError.usage("--finetune-steps adapts an encoder; give --model an encoder", command: command.name)
            }
            if parsed.flag("zero-shot") || active {
                throw CLIError.usage(
                    "--finetune-steps measures accuracy, calibration and open-set episodes: not with --zero-shot or --active",
                    command: command.name)
            }
            if parsed.given("lexical") {
                guard isOneFixedWeight(try lexicalWeights(parsed, prior: 1)) else {
                    throw CLIError.usage(
                        "--finetune-steps scores with one fixed --lexical weight (not a list, not 'fit')", command: command.name)
                }
            }
        }
        let pool = active ? try parsed.int("active-pool", in: 1...100_000) : 0
        if parsed.flag("calibration") && model == "tfidf" {
            throw CLIError.usage("--calibration needs an encoder (TF-IDF gives no probabilities)", command: command.name)
        }
        let evaluation = try EvaluationProtocol(
            index: try CorpusIndex(path: indexPath), split: split, family: parsed.string("family"),
            ways: try parsed.int("ways", in: 2...1000), shots: try parsed.intList("shots", in: 1...100_000),
            queries: try parsed.int("queries", in: 1...100_000) + pool, episodes: try parsed.int("episodes", in: 1...10_000_000),
            seed: UInt64(try parsed.int("seed", in: 0...Int.max)))
        return (evaluation, model)
    }

    /// TF-IDF fitted on the index, or an encoder with the eligible examples embedded (its
    /// prototype classifier; zero-shot and calibration use both).
    /// `backgroundWeight` replaces the weight of the model's background topics.
    static func load(_ model: String, for evaluation: EvaluationProtocol, backgroundWeight: Double? = nil) throws -> (
        any EpisodeClassifier, encoder: (model: SentenceEncoder, prototypes: PrototypeClassifier)?
    ) {
        if model == "tfidf" { return (try TfidfBaseline(index: evaluation.index), nil) }
        let loaded = try SentenceEncoder.load(try Resources.modelPath(model))
        if let backgroundWeight {
            guard loaded.background != nil || backgroundWeight == 0 else {
                throw CLIError.runtime(
                    "\(loaded.path) has no background topics to weigh",
                    hint: "store them with 'fewshot convert MODEL --background INDEX.fsi -o OUT.safetensors'")
            }
            loaded.background?.weight = Float(backgroundWeight)
        }
        let progress = ProgressLine()
        let prototypes = try PrototypeClassifier(
            model: loaded, index: evaluation.index, labels: evaluation.eligibleClasses.flatMap(\.labels)
        ) { progress.update("eval: embedding", done: $0, total: $1, unit: "examples") }
        progress.finish()
        return (prototypes, (loaded, prototypes))
    }

    /// The update the model was meta-trained for, when the tables asked for can score it (as
    /// --finetune-steps can: accuracy, calibration and open-set episodes, one fixed lexical
    /// weight); when they cannot, nil, and a note that the prototypes are scored as they are.
    static func trainedUpdate(of model: SentenceEncoder?, _ parsed: ParsedArguments, _ weights: [HybridClassifier.Weight]?) throws
        -> TrainedUpdate?
    {
        guard let model, let update = model.trainedUpdate, !parsed.given("finetune-steps") else { return nil }
        guard parsed.flag("zero-shot") || !(weights.map(isOneFixedWeight) ?? true) else { return update }
        printError(
            "eval: \(model.path) was meta-trained for a per-task update, which --zero-shot and several or fitted --lexical "
                + "weights do not make: these tables score its prototypes as they are")
        return nil
    }

    /// True when `model` names an encoder file that records the update it was meta-trained for
    /// (loading it takes a fraction of a second, before any example is embedded). A model that
    /// does not load says so when it is loaded for the tables.
    static func carriesUpdate(_ model: String) -> Bool {
        guard model != "tfidf", let loaded = try? SentenceEncoder.load(try Resources.modelPath(model)) else { return false }
        return loaded.trainedUpdate != nil
    }

    /// True for one fixed weight: what the tables of an adapted encoder score with.
    static func isOneFixedWeight(_ weights: [HybridClassifier.Weight]) -> Bool { weights.count == 1 && weights[0].isFixed }

    /// The weights of the hybrid rows: the --lexical list, or else the model's own weight; nil
    /// (the embeddings alone, no weight column) for TF-IDF and for a model without a lexicon.
    static func lexicalWeights(_ parsed: ParsedArguments, model: SentenceEncoder?) throws -> [HybridClassifier.Weight]? {
        guard let model else { return nil }
        if parsed.given("lexical") { return try lexicalWeights(parsed, prior: model.lexicon?.weight ?? 1) }
        guard let weight = model.lexicon?.weight, weight > 0 else { return nil }
        return [.fixed(weight)]
    }

    /// The TF-IDF the hybrid rows add: the model's own lexicon on the examples as the model
    /// tokenizes them, as 'fewshot train' uses it; for a model without one, TF-IDF fitted on the
    /// index's meta-train split.
    static func lexicalScores(_ model: SentenceEncoder?, _ evaluation: EvaluationProtocol) throws -> TfidfBaseline {
        if let model, let lexicon = model.lexicon {
            printError("eval: words scored with the model's lexicon (\(lexicon.terms.count) terms)")
            return TfidfBaseline(
                lexicon: lexicon, model: model, index: evaluation.index, labels: evaluation.eligibleClasses.flatMap(\.labels))
        }
        printError("eval: words scored with TF-IDF fitted on \(evaluation.index.path)'s meta-train split")
        return try TfidfBaseline(index: evaluation.index)
    }

    /// The --lexical list: fixed weights of 0 or more, or 'fit' (chosen per episode around `prior`).
    static func lexicalWeights(_ parsed: ParsedArguments, prior: Float) throws -> [HybridClassifier.Weight] {
        try parsed.list("lexical") { item in
            if item == "fit" { return .leaveOneOut(grid: [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 2], prior: prior) }
            guard let value = Double(item), value.isFinite, value >= 0 else {
                throw CLIError.usage("--lexical takes weights of 0 or more, or 'fit'; got '\(item)'", command: command.name)
            }
            return .fixed(Float(value))
        }
    }

    /// The accuracy table; with `lexicalWeights`, one row per weight of the hybrid score
    /// (`HybridClassifier`, weight 0: the embeddings alone) in a column of its own.
    static func printAccuracy(
        _ evaluation: EvaluationProtocol, _ classifier: any EpisodeClassifier, _ prototypes: PrototypeClassifier?,
        lexical: TfidfBaseline?, lexicalWeights: [HybridClassifier.Weight]?
    ) throws {
        let weightColumn = lexicalWeights == nil ? "" : " lexical W |"
        print("| family | shots |\(weightColumn) accuracy % | ± 95% CI | episode std | seconds |")
        print("|---|---|" + (lexicalWeights == nil ? "" : "---|") + "---|---|---|---|")
        for weight in lexicalWeights ?? [.fixed(0)] {
            let scored: any EpisodeClassifier =
                if let prototypes, let lexical, weight.usesWords {
                    HybridClassifier(dense: prototypes, lexical: lexical, weight: weight)
                } else { classifier }
            let name: String
            switch weight {
            case .fixed(let value): name = "\(value)"
            case .leaveOneOut: name = "fit"
            }
            let weightCell = lexicalWeights == nil ? "" : " \(name) |"
            let progress = ProgressLine()
            try evaluation.accuracy(
                scored,
                progress: { scope, shots, done in
                    progress.update("eval: \(scope ?? "any") \(shots)-shot", done: done, total: evaluation.episodes, unit: "episodes")
                }
            ) { row in
                progress.restart()
                print(
                    String(
                        format: "| %@ | %d |%@ %.2f | %.2f | %.2f | %.1f |", row.scope ?? "any", row.shots, weightCell,
                        row.summary.mean * 100, row.summary.confidence95 * 100, row.summary.standardDeviation * 100, row.seconds))
                try standardOutput.flush()
            }
        }
    }

    static func printZeroShot(
        _ evaluation: EvaluationProtocol, _ classifier: any EpisodeClassifier,
        _ encoder: (model: SentenceEncoder, prototypes: PrototypeClassifier)?,
        _ parsed: ParsedArguments
    ) throws {
        let nameClassifier: any EpisodeClassifier
        if let encoder {
            nameClassifier = try LabelNameClassifier(queries: encoder.prototypes, model: encoder.model, index: evaluation.index)
        } else if let baseline = classifier as? TfidfBaseline {
            let tokenizer = try Tokenizer(vocabularyFile: try Resources.vocabularyPath(try parsed.required("vocab")))
            nameClassifier = try TfidfLabelNameClassifier(baseline: baseline, tokenizer: tokenizer, index: evaluation.index)
        } else {
            throw CLIError.runtime("zero-shot needs an encoder or TF-IDF")
        }
        print("")
        print("| family | zero-shot (label names) accuracy % | ± 95% CI | chance % |")
        print("|---|---|---|---|")
        for (scope, summary) in try evaluation.zeroShot(nameClassifier) {
            print(
                String(
                    format: "| %@ | %.2f | %.2f | %.1f |", scope ?? "any", summary.mean * 100, summary.confidence95 * 100,
                    100 / Double(evaluation.ways)))
        }
    }

    static func printOpenSet(_ evaluation: EvaluationProtocol, _ prototypes: any EpisodeOpenSetScoring, unknownClasses: Int) throws {
        print("")
        print("| family | shots | open-set AUROC % | ± 95% CI | accuracy at the fitted threshold % | ± 95% CI |")
        print("|---|---|---|---|---|---|")
        try evaluation.openSet(prototypes, unknownClasses: unknownClasses) { row in
            guard let auroc = row.auroc else {
                print("| \(row.scope ?? "any") | \(row.shots) | fewer than \(evaluation.ways + unknownClasses) labels | | | |")
                return
            }
            let accuracy =
                row.accuracy.map { String(format: "%.2f | %.2f", $0.mean * 100, $0.confidence95 * 100) }
                ?? "– (one example per class: no threshold) | –"
            print(
                String(
                    format: "| %@ | %d | %.2f | %.2f | %@ |", row.scope ?? "any", row.shots, auroc.mean * 100, auroc.confidence95 * 100,
                    accuracy))
            try standardOutput.flush()
        }
    }

    /// What --active, --open-set and --calibration score with (they take one weight): the hybrid
    /// with the first weight when it uses words, else the prototypes alone.
    static func scorer(_ prototypes: PrototypeClassifier, lexical: TfidfBaseline?, weights: [HybridClassifier.Weight]?)
        -> any EpisodeScoring
    {
        if let lexical, let weight = weights?.first, weight.usesWords {
            return HybridClassifier(dense: prototypes, lexical: lexical, weight: weight)
        }
        return prototypes
    }

    /// The --strategy list (random is always run, as the baseline).
    static func activeStrategies(_ parsed: ParsedArguments) throws -> [LabelSuggester.Strategy] {
        try parsed.list("strategy") { name in
            guard let strategy = LabelSuggester.Strategy(rawValue: name), strategy != .random else {
                throw CLIError.usage(
                    "--strategy takes representative, diverse and margin (random always runs), got '\(name)'", command: command.name)
            }
            return strategy
        }
    }

    /// The --active table: per scope and start size, each strategy's mean accuracy after every
    /// round (columns: labels given so far), and its gain over random picks after the last round,
    /// paired on the same sessions; then the mean gain over scopes.
    static func printActive(
        _ evaluation: EvaluationProtocol, _ session: ActiveLearning, _ scorer: any EpisodeScoring, strategies: [LabelSuggester.Strategy]
    ) throws {
        let start = evaluation.shots.map { $0 * evaluation.ways }
        print(
            "active learning: \(session.rounds) rounds of \(session.batch) labels from a pool of \(session.pool) unlabelled lines "
                + "per class; "
                + "accuracy % on \(evaluation.queries - session.pool) other queries per class; \(evaluation.episodes) sessions per row")
        print("")
        let columns = (0...session.rounds).map { "+\($0 * session.batch) labels" }
        print("| family | shots | strategy | " + columns.joined(separator: " | ") + " | vs random after the last round |")
        print("|---|---|---|" + String(repeating: "---|", count: columns.count) + "---|")
        var gains: [LabelSuggester.Strategy: [(mean: Double, ci: Double)]] = [:]
        for scope in evaluation.scopes {
            for (shotIndex, shots) in evaluation.shots.enumerated() {
                let sampler = try evaluation.sampler(scope, shots: shots)
                var curves: [LabelSuggester.Strategy: [[Double]]] = [:]
                for strategy in [LabelSuggester.Strategy.random] + strategies {
                    curves[strategy] = Evaluation.perEpisode(evaluation.episodes) { number in
                        session.session(
                            sampler.episode(number), scorer: scorer, strategy: strategy,
                            seed: evaluation.seed &* 1_000_003 &+ UInt64(number))
                    }
                }
                for strategy in [LabelSuggester.Strategy.random] + strategies {
                    let runs = curves[strategy]!
                    let means = (0...session.rounds).map { round in AccuracySummary(accuracies: runs.map { $0[round] }) }
                    var gain = "–"
                    if strategy != .random {
                        let paired = AccuracySummary(accuracies: zip(runs, curves[.random]!).map { $0.last! - $1.last! })
                        gain = String(format: "%+.2f ± %.2f", paired.mean * 100, paired.confidence95 * 100)
                        if shotIndex == 0 { gains[strategy, default: []].append((paired.mean, paired.confidence95)) }
                    }
                    let cells = means.map { String(format: "%.2f", $0.mean * 100) }.joined(separator: " | ")
                    print("| \(scope ?? "any") | \(shots) (\(start[shotIndex]) labels) | \(strategy.rawValue) | \(cells) | \(gain) |")
                    try standardOutput.flush()
                }
            }
        }
        guard evaluation.scopes.count > 1 else { return }
        print("")
        for strategy in strategies {
            let list = gains[strategy] ?? []
            let mean = list.map(\.mean).reduce(0, +) / Double(list.count)
            let ci = (list.map { $0.ci * $0.ci }.reduce(0, +)).squareRoot() / Double(list.count)
            print(
                String(
                    format: "%@ vs random after the last round, mean over the %d families (%d shots): %+.2f ± %.2f points",
                    strategy.rawValue, list.count, evaluation.shots[0], mean * 100, ci * 100))
        }
    }

    static func printCalibration(_ evaluation: EvaluationProtocol, _ classifier: any EpisodeCalibrating, unfitted: Float) throws {
        print("")
        print(
            "| family | shots | ECE, T = \(Int(TemperatureFit.fallback)) | ECE, T fitted on the support "
                + "set | median fitted T | reliability (fitted): confidence → accuracy per bin |"
        )
        print("|---|---|---|---|---|---|")
        for row in try evaluation.calibration(classifier, unfitted: unfitted) {
            let bins = row.fitted.bins.filter { $0.count > 0 }.map {
                String(format: "%.2f→%.2f (%d)", $0.meanConfidence, $0.accuracy, $0.count)
            }.joined(separator: ", ")
            print(
                String(
                    format: "| %@ | %d | %.3f | %.3f | %.1f | %@ |", row.scope ?? "any", row.shots, row.fixed.expectedCalibrationError,
                    row.fitted.expectedCalibrationError, row.medianTemperature, bins))
        }
    }
}
