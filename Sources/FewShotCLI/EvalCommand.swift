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
                "What to evaluate: 'tfidf' (no-training baseline), a shipped model by name (default, "
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
                    + "(as 'fewshot train' fits it for 'classify --threshold auto')."),
            .value(
                "unfitted-temperature", "T",
                "--calibration: the temperature when a support set allows no fit (one example per class).",
                default: "\(TemperatureFit.unfitted)"),
            .flag("zero-shot", "Also classify the same episodes' queries from the label names alone (no examples), beside chance."),
            .value(
                "vocab", "FILE", "--zero-shot with tfidf: the index's vocabulary, to tokenize the label names.",
                default: Resources.defaultVocabularyPath),
            .flag(
                "calibration",
                "Also report how calibrated the probabilities are (encoders): expected calibration error with "
                    + "the fixed temperature 20 and with the temperature fitted on each episode's support set, as 'fewshot train' fits it."
            ),
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
            """,
        positionals: 0...0)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        guard let indexPath = parsed.string("index") else { throw CLIError.usage("missing --index FILE.fsi", command: command.name) }
        guard let splitName = parsed.string("split"), let split = Split(rawValue: splitName) else {
            throw CLIError.usage("--split must be train, val or test", command: command.name)
        }
        let ways = try parsed.int("ways", in: 2...1000)
        let queries = try parsed.int("queries", in: 1...100_000)
        let episodes = try parsed.int("episodes", in: 1...10_000_000)
        let seed = try parsed.int("seed", in: 0...Int.max)
        let shotsText = try parsed.required("shots")
        let shots = try shotsText.split(separator: ",").map { text -> Int in
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value >= 1 else {
                throw CLIError.usage("--shots expects positive integers like 1,5, got '\(shotsText)'", command: command.name)
            }
            return value
        }
        guard let largestShot = shots.max() else { throw CLIError.usage("--shots is empty", command: command.name) }
        let model = try parsed.required("model")
        let unknownClasses = try parsed.optionalInt("open-set", in: 1...1000)
        let unfitted = Float(try parsed.double("unfitted-temperature"))
        guard unfitted > 0 else { throw CLIError.usage("--unfitted-temperature must be positive", command: command.name) }
        if unknownClasses != nil && model == "tfidf" {
            throw CLIError.usage("--open-set needs an encoder (TF-IDF has no similarity scale to threshold)", command: command.name)
        }
        if parsed.flag("calibration") && model == "tfidf" {
            throw CLIError.usage("--calibration needs an encoder (TF-IDF gives no probabilities)", command: command.name)
        }
        let index = try CorpusIndex(path: indexPath)
        let family = parsed.string("family")
        let minimum = largestShot + queries
        /// The episodes of one table cell: every shot count draws from the same classes (with
        /// `unknownClasses` more labels giving unknown queries in open-set episodes).
        func sampler(_ scope: String?, shots: Int, unknownClasses: Int = 0) throws -> EpisodeSampler {
            try EpisodeSampler(
                index: index, split: split, family: scope, ways: ways, shots: shots, queries: queries, seed: UInt64(seed),
                minimumExamples: minimum, unknownClasses: unknownClasses)
        }
        // One scope per table block: a family, or every family that has enough labels ('each').
        var scopes: [String?] = [family]
        if family == "each" {
            scopes = index.families.filter { (try? sampler($0, shots: largestShot)) != nil }
            guard !scopes.isEmpty else {
                throw CLIError.runtime(
                    "no family of \(indexPath) has \(ways) labels with >= \(minimum) examples in split '\(split.rawValue)'")
            }
        } else if let family, !index.families.contains(family) {
            throw CLIError.runtime("the index has no family '\(family)' (it has: \(index.families.joined(separator: ", ")), or 'each')")
        }
        let started = Date()
        let probes = try scopes.map { try sampler($0, shots: largestShot) }
        let classifier: any EpisodeClassifier
        // With an encoder: the model and its prototype classifier (zero-shot and calibration use both).
        var encoder: (model: SentenceEncoder, prototypes: PrototypeClassifier)?
        if model == "tfidf" {
            classifier = try TfidfBaseline(index: index)
        } else {
            let loaded = try SentenceEncoder.load(try Resources.modelPath(model))
            let progress = ProgressLine()
            let prototypes = try PrototypeClassifier(
                model: loaded, index: index, labels: probes.flatMap { $0.classesByFamily.flatMap(\.labels) }
            ) { progress.update("eval: embedding", done: $0, total: $1, unit: "examples") }
            progress.finish()
            encoder = (loaded, prototypes)
            classifier = prototypes
        }
        let fitSeconds = Date().timeIntervalSince(started)
        let pool = probes.flatMap(\.classesByFamily).map { "\($0.family): \($0.labels.count) labels" }.joined(separator: ", ")
        print(
            "model \(model) · index \(indexPath) · split \(split.rawValue) (\(pool)) · \(ways)-way · "
                + "\(queries) queries · \(episodes) episodes · seed \(seed)"
        )
        print("")
        print("| family | shots | accuracy % | ± 95% CI | episode std | seconds |")
        print("|---|---|---|---|---|---|")
        for scope in scopes {
            for shot in shots {
                let start = Date()
                let summary = Evaluation.run(classifier, sampler: try sampler(scope, shots: shot), episodes: episodes)
                print(
                    String(
                        format: "| %@ | %d | %.2f | %.2f | %.2f | %.1f |", scope ?? "any", shot, summary.mean * 100,
                        summary.confidence95 * 100, summary.standardDeviation * 100, Date().timeIntervalSince(start)))
                try standardOutput.flush()
            }
        }
        if parsed.flag("zero-shot") {
            let nameClassifier: any EpisodeClassifier
            if let encoder {
                nameClassifier = try LabelNameClassifier(queries: encoder.prototypes, model: encoder.model, index: index)
            } else if let baseline = classifier as? TfidfBaseline {
                let tokenizer = try Tokenizer(vocabularyFile: try Resources.vocabularyPath(parsed.values["vocab"]))
                nameClassifier = try TfidfLabelNameClassifier(baseline: baseline, tokenizer: tokenizer, index: index)
            } else {
                throw CLIError.runtime("zero-shot needs an encoder or TF-IDF")
            }
            print("")
            print("| family | zero-shot (label names) accuracy % | ± 95% CI | chance % |")
            print("|---|---|---|---|")
            for scope in scopes {
                let summary = Evaluation.run(nameClassifier, sampler: try sampler(scope, shots: 1), episodes: episodes)
                print(
                    String(
                        format: "| %@ | %.2f | %.2f | %.1f |", scope ?? "any", summary.mean * 100, summary.confidence95 * 100,
                        100 / Double(ways)))
            }
        }
        if let unknownClasses, let prototypes = encoder?.prototypes {
            print("")
            print("| family | shots | open-set AUROC % | ± 95% CI | accuracy at the fitted threshold % | ± 95% CI |")
            print("|---|---|---|---|---|---|")
            for scope in scopes {
                for shot in shots {
                    guard
                        let openSampler = try? sampler(scope, shots: shot, unknownClasses: unknownClasses)
                    else {
                        print("| \(scope ?? "any") | \(shot) | fewer than \(ways + unknownClasses) labels | | | |")
                        continue
                    }
                    let result = Evaluation.runOpenSet(prototypes, sampler: openSampler, episodes: episodes)
                    let accuracy =
                        result.accuracy.map { String(format: "%.2f | %.2f", $0.mean * 100, $0.confidence95 * 100) }
                        ?? "– (one example per class: no threshold) | –"
                    print(
                        String(
                            format: "| %@ | %d | %.2f | %.2f | %@ |", scope ?? "any", shot, result.auroc.mean * 100,
                            result.auroc.confidence95 * 100, accuracy))
                    try standardOutput.flush()
                }
            }
        }
        if parsed.flag("calibration"), let prototypes = encoder?.prototypes {
            print("")
            print(
                "| family | shots | ECE, T = \(Int(TemperatureFit.fallback)) | ECE, T fitted on the support "
                    + "set | median fitted T | reliability (fitted): confidence → accuracy per bin |"
            )
            print("|---|---|---|---|---|---|")
            for scope in scopes {
                for shot in shots {
                    let episodesOfCell = try sampler(scope, shots: shot)
                    var fixed = CalibrationReport(), fitted = CalibrationReport()
                    var temperatures: [Float] = []
                    for number in 0..<episodes {
                        let result = prototypes.calibration(episodesOfCell.episode(number), unfitted: unfitted)
                        fixed.add(result.fixed)
                        fitted.add(result.fitted)
                        temperatures.append(result.temperature)
                    }
                    let bins = fitted.bins.filter { $0.count > 0 }.map {
                        String(format: "%.2f→%.2f (%d)", $0.meanConfidence, $0.accuracy, $0.count)
                    }.joined(separator: ", ")
                    print(
                        String(
                            format: "| %@ | %d | %.3f | %.3f | %.1f | %@ |", scope ?? "any", shot, fixed.expectedCalibrationError,
                            fitted.expectedCalibrationError,
                            temperatures.sorted()[temperatures.count / 2], bins))
                }
            }
        }
        printError(
            String(format: model == "tfidf" ? "eval: TF-IDF fitted in %.1f s" : "eval: test examples embedded in %.1f s", fitSeconds))
    }
}
