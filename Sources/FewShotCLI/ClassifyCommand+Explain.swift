import FewShot
import Foundation

/// `fewshot classify --explain N`: the runner-up label and the stored examples nearest to each line.
extension ClassifyCommand {
    /// The number of examples to show per line, or nil without --explain; refused where the
    /// classifier cannot show them (no stored examples, a multi-label classifier in tsv).
    static func explainCount(_ parsed: ParsedArguments, classifier: FewShotClassifier, json: Bool) throws -> Int? {
        guard let count = try parsed.optionalInt("explain", in: 1...1_000) else { return nil }
        guard let memory = classifier.memory else {
            throw CLIError.runtime(
                "\(parsed.positionals[0]) keeps no examples (made before classifiers kept them), so --explain has nothing to show",
                hint: "train it again from its examples")
        }
        if classifier.isMultiLabel && !json {
            throw CLIError.usage(
                "--explain on a multi-label classifier needs --format json (its tsv lines have a varying number of labels)",
                command: command.name)
        }
        if memory.texts == nil {
            printError(
                "classify: \(parsed.positionals[0]) keeps no texts (--no-texts): --explain shows examples by position, "
                    + "#1 being the earliest added of those stored now")
        }
        return count
    }

    /// One output line with its explanation (see --help for the layout).
    static func explained(
        _ explanation: FewShotClassifier.Explanation, _ classifier: FewShotClassifier, count: Int, _ top: Int,
        _ threshold: UnknownRule?, _ unknown: String, json asJSON: Bool
    ) -> String {
        let prediction = explanation.prediction
        let labels = classifier.labels
        let texts = classifier.memory?.texts
        let runnerUp = prediction.ranked.count > 1 ? prediction.ranked[1] : nil
        if asJSON {
            var line =
                classifier.isMultiLabel
                ? multiLabel(prediction, labels, json: true) : json(prediction, labels, top, threshold, unknown)
            guard !prediction.ranked.isEmpty else { return String(line.dropLast()) + ",\"runner_up\":null,\"nearest\":[]}" }
            let runner = runnerUp.map { "{\"label\":\(quote(labels[$0.label])),\"probability\":\(format($0.probability))}" } ?? "null"
            let nearest = explanation.nearest.map { item in
                let text = texts.map { ",\"text\":\(quote(String(decoding: $0[item.row], as: UTF8.self)))" } ?? ""
                return "{\"example\":\(item.row + 1),\"score\":\(String(format: "%.4f", item.score))\(text)}"
            }
            line.removeLast()
            return line + ",\"runner_up\":\(runner),\"nearest\":[\(nearest.joined(separator: ","))]}"
        }
        guard !prediction.ranked.isEmpty else { return "" }
        // Under --threshold a refused line has one pair where others have --top: pad it, so the
        // explanation columns are at the same place on every line.
        let missing = threshold?.refuses(prediction) == true ? min(top, labels.count) - 1 : 0
        var fields = [tsv(prediction, labels, top, threshold, unknown)] + Array(repeating: "\t", count: missing)
        fields.append(runnerUp.map { "\(labels[$0.label])\t\(format($0.probability))" } ?? "\t")
        for slot in 0..<count {
            guard slot < explanation.nearest.count else { fields.append(""); continue }
            let row = explanation.nearest[slot].row
            fields.append(texts.map { cell(String(decoding: $0[row], as: UTF8.self)) } ?? "#\(row + 1)")
        }
        return fields.joined(separator: "\t")
    }

    /// A text as one tsv field: tabs and line breaks become spaces.
    static func cell(_ text: String) -> String {
        String(text.unicodeScalars.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : Character($0) })
    }
}
