import FewShot

/// The test lines a classifier put under a wrong label, grouped by (true label, predicted label),
/// each with the stored examples of the predicted label nearest to it: the ones that pulled it
/// across (`FewShotClassifier.explain`). What `fewshot test --report` lists under the heat map.
struct ConfusedPairs {
    struct Line {
        let text: String
        let probability: Float
        /// Texts of the nearest stored examples of the predicted label, or "#R" (the R-th of the
        /// examples stored now, in the order added) in a file that keeps no texts.
        let pulledBy: [String]
    }

    struct Pair {
        let truth: String
        let predicted: String
        /// Wrong lines of this pair in the file (more than `lines` holds when capped).
        let count: Int
        let lines: [Line]
    }

    /// Most confused first (ties by true, then predicted label name).
    let pairs: [Pair]

    init(
        examples: [(label: String, text: [UInt8])], explanations: [FewShotClassifier.Explanation], labels: [String], texts: [[UInt8]]?,
        linesPerPair: Int
    ) {
        var grouped: [String: [String: [Line]]] = [:]
        var counts: [String: [String: Int]] = [:]
        for (example, explanation) in zip(examples, explanations) {
            guard let best = explanation.prediction.ranked.first else { continue }
            let predicted = labels[best.label]
            guard predicted != example.label else { continue }
            counts[example.label, default: [:]][predicted, default: 0] += 1
            guard grouped[example.label]?[predicted]?.count ?? 0 < linesPerPair else { continue }
            let pulledBy = explanation.nearest.map { item in
                texts.map { String(decoding: $0[item.row], as: UTF8.self) } ?? "#\(item.row + 1)"
            }
            let line = Line(text: String(decoding: example.text, as: UTF8.self), probability: best.probability, pulledBy: pulledBy)
            grouped[example.label, default: [:]][predicted, default: []].append(line)
        }
        pairs = counts.flatMap { truth, row in
            row.map { predicted, count in Pair(truth: truth, predicted: predicted, count: count, lines: grouped[truth]![predicted]!) }
        }
        .sorted { ($1.count, $0.truth, $0.predicted) < ($0.count, $1.truth, $1.predicted) }
    }
}
