import FewShot
import Foundation
import Storage
import Tokenization

/// `fewshot classify`: label standard input line by line.
enum ClassifyCommand {
    static let command = Command(
        name: "classify",
        summary: "Label each input line with a classifier: one 'label<TAB>probability' line per input line.",
        usage: "NAME.fsc [FILE|-] [--top K] [--threshold P|auto --unknown LABEL] [--explain N] [--format tsv|json] [--batch N]",
        options: [
            .value("top", "K", "Print the K most likely labels, each with its probability.", default: "1"),
            .value(
                "threshold", "P|auto",
                "Below this probability, print the --unknown label instead; 'auto': below the open-set threshold "
                    + "'fewshot train' fitted on the examples (labels with two or more examples; the score is the best cosine, "
                    + "plus the weighted TF-IDF cosine when the classifier scores words too, less the weighted closeness "
                    + "to the model's background topics when it has them)."),
            .value(
                "unknown", "LABEL",
                "The label printed under --threshold, in the best label's place: the probability beside it is the best "
                    + "label's, the one below the threshold; the other --top columns stay.", default: "unknown"),
            .value(
                "explain", "N",
                "Why each line got its label: the runner-up label and its probability, then the N stored examples of "
                    + "the best label nearest to the line (highest score first), as extra columns or json fields."),
            .value(
                "format", "F", "tsv (label<TAB>probability[<TAB>label<TAB>probability...]) or json (one object per line).", default: "tsv"),
            .value(
                "batch", "N",
                "Lines encoded together when input arrives faster than it is classified (the first batches "
                    + "start at 8 lines and double up to N, for a quick first result).",
                default: "64"),
        ],
        discussion: """
            Exactly one output line per input line, in order. A line with no text (empty, blank, or
            undecodable) gets an empty label. Input is batched while it arrives quickly and each
            result is flushed before waiting for more input, so interactive use through a pipe works.
            A multi-label classifier ('train --multi-label') prints every label whose own probability
            is 0.5 or more, most probable first, and an empty line when none applies.

            Probabilities are softmax(T · cosine similarity to each label's prototype), with the
            temperature T that 'fewshot train' fitted on the examples (20 in files made before it
            was fitted).

            --explain N adds, in tsv, after the usual columns: the runner-up label and its probability
            (empty with one label), then N columns with the nearest examples of the best label (the
            label the line would have had under --threshold), empty where the label has fewer. An
            example is its text, or #R in a file trained with --no-texts: the R-th of the examples
            stored now, in the order they were added (removing or capping examples renumbers them).
            In json: "runner_up" ({label, probability} or null) and "nearest" (a list of {example: R,
            score, text}; no text with --no-texts). Nearest is by the score the label's prototype
            gets: the cosine, plus the weighted TF-IDF cosine when the classifier scores words. A
            multi-label classifier explains its most probable label, in json only.

            examples:
              fewshot classify topics.fsc < incoming.txt
              tail -f log.txt | fewshot classify topics.fsc --threshold 0.5 --unknown other
              fewshot classify topics.fsc --explain 2 < incoming.txt
            """,
        positionals: 1...2)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        let top = try parsed.int("top", in: 1...1_000_000)
        let unknown = try parsed.required("unknown")
        let format = try parsed.required("format")
        guard format == "tsv" || format == "json" else { throw CLIError.usage("--format must be tsv or json", command: command.name) }
        let batchSize = try parsed.int("batch", in: 1...100_000)
        let classifier = try FewShotClassifier.load(parsed.positionals[0])
        if classifier.isMultiLabel && parsed.given("threshold") {
            throw CLIError.usage("a multi-label classifier has a threshold per label; --threshold does not apply", command: command.name)
        }
        if classifier.isMultiLabel && parsed.given("top") {
            throw CLIError.usage(
                "a multi-label classifier prints every label at 0.5 or more (json: \"all\" lists every label); --top does not apply",
                command: command.name)
        }
        let threshold = try unknownRule(parsed, classifier: classifier)
        guard !classifier.labels.isEmpty else {
            throw CLIError.runtime("\(parsed.positionals[0]) has no labels", hint: "train it with examples first")
        }
        let explain = try explainCount(parsed, classifier: classifier, json: format == "json")
        let reader = try LineReader(path: parsed.positionals.count > 1 ? parsed.positionals[1] : nil)
        reader.truncatesLongLines = true
        let output = standardOutput
        // Lines wait as bytes and are tokenized together, over the threads, when a batch is flushed.
        var pendingLines: [[UInt8]] = []
        let model = classifier.model
        let openSet: Bool
        if case .openSetScore = threshold { openSet = true } else { openSet = false }
        // Results are flushed before a read that would wait and after each batch of the first,
        // growing ones (a quick first result); a fast stream's full batches then go out in large
        // writes instead of one small write each.
        func classifyPending() throws {
            guard !pendingLines.isEmpty else { return }
            let pending = model.tokenize(pendingLines)
            pendingLines.removeAll(keepingCapacity: true)
            if let explain {
                let explanations = try classifier.explain(tokenized: pending, nearest: explain)
                for explanation in explanations {
                    output.write(explained(explanation, classifier, count: explain, top, threshold, unknown, json: format == "json"))
                    output.endLine()
                }
                return
            }
            let predictions = try classifier.classify(tokenized: pending, openSet: openSet)
            for prediction in predictions {
                if classifier.isMultiLabel {
                    output.write(multiLabel(prediction, classifier.labels, json: format == "json"))
                } else {
                    output.write(
                        format == "json"
                            ? json(prediction, classifier.labels, top, threshold, unknown)
                            : tsv(prediction, classifier.labels, top, threshold, unknown))
                }
                output.endLine()
            }
        }
        func flush() throws {
            try classifyPending()
            try output.flush()
        }
        // The first batches are small and double up to --batch: the first result comes after a
        // few lines' work, and long streams still run in full batches.
        var currentBatch = min(8, batchSize)
        try reader.forEachLine(willRead: flush) { line in
            pendingLines.append(Array(line))
            if pendingLines.count >= currentBatch {
                if currentBatch < batchSize { try flush() } else { try classifyPending() }
                currentBatch = min(batchSize, currentBatch * 2)
            }
        }
        try flush()
        BadLines.reportCut(reader, command: "classify")
    }

    /// When a line gets the --unknown label instead of its best one.
    enum UnknownRule {
        /// Best probability below this.
        case probability(Double)
        /// Open-set score (`Prediction.openSetScore`) below the classifier's fitted threshold.
        case openSetScore(Float)

        func refuses(_ prediction: FewShotClassifier.Prediction) -> Bool {
            guard let best = prediction.ranked.first else { return false }
            switch self {
            case .probability(let threshold): return Double(best.probability) < threshold
            case .openSetScore(let threshold):
                guard let score = prediction.openSetScore else { preconditionFailure("classified without open-set scores") }
                return score < threshold
            }
        }
    }

    static func unknownRule(_ parsed: ParsedArguments, classifier: FewShotClassifier) throws -> UnknownRule? {
        guard let text = parsed.string("threshold") else { return nil }
        if text == "auto" {
            guard let fitted = classifier.fit.openSetThreshold else {
                let why =
                    classifier.labels.count < 2
                    ? "it has one label, and the threshold is fitted on how its examples score against other labels"
                    : "made before it existed, or one example per label"
                throw CLIError.runtime(
                    "\(classifier.model.path) has no fitted open-set threshold (\(why))",
                    hint: "retrain it with two or more labels of two or more examples, or pass --threshold P (a probability)")
            }
            return .openSetScore(fitted)
        }
        guard let value = Double(text), (0...1).contains(value) else {
            throw CLIError.usage("--threshold expects a probability from 0 to 1 or 'auto', got '\(text)'", command: command.name)
        }
        return .probability(value)
    }

    static func tsv(
        _ prediction: FewShotClassifier.Prediction, _ labels: [String], _ top: Int, _ threshold: UnknownRule?, _ unknown: String
    ) -> String {
        guard !prediction.ranked.isEmpty else { return "" }
        var pairs = prediction.ranked.prefix(top).map { "\(labels[$0.label])\t\(format($0.probability))" }
        // Refused: the --unknown label takes the best label's place (and keeps its probability,
        // the one below the threshold), so every line has the same columns, as in json.
        if threshold?.refuses(prediction) == true { pairs[0] = "\(unknown)\t\(format(prediction.ranked[0].probability))" }
        return pairs.joined(separator: "\t")
    }

    static func json(
        _ prediction: FewShotClassifier.Prediction, _ labels: [String], _ top: Int, _ threshold: UnknownRule?, _ unknown: String
    ) -> String {
        guard let best = prediction.ranked.first else { return "{\"label\":\"\",\"probability\":null,\"top\":[]}" }
        let label = threshold?.refuses(prediction) == true ? unknown : labels[best.label]
        let list = prediction.ranked.prefix(top).map { "{\"label\":\(quote(labels[$0.label])),\"probability\":\(format($0.probability))}" }
            .joined(separator: ",")
        return "{\"label\":\(quote(label)),\"probability\":\(format(best.probability)),\"top\":[\(list)]}"
    }

    /// A multi-label line: every label whose own probability is 0.5 or more, most probable first
    /// (`label<TAB>p<TAB>label<TAB>p`, an empty line when none applies); json lists them as
    /// "labels" and every label's probability as "all".
    static func multiLabel(_ prediction: FewShotClassifier.Prediction, _ labels: [String], json: Bool) -> String {
        let applying = prediction.ranked.filter { $0.probability >= 0.5 }
        guard json else { return applying.map { "\(labels[$0.label])\t\(format($0.probability))" }.joined(separator: "\t") }
        func list(_ items: [(label: Int, probability: Float)]) -> String {
            items.map { "{\"label\":\(quote(labels[$0.label])),\"probability\":\(format($0.probability))}" }.joined(separator: ",")
        }
        return "{\"labels\":[\(list(applying))],\"all\":[\(list(prediction.ranked))]}"
    }

    static func format(_ probability: Float) -> String { ProbabilityText.fourDecimals(probability) }

    static func quote(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
