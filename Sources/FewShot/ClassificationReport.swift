/// Accuracy, macro-F1, per-label precision/recall/F1 and the confusion matrix of predictions
/// against true labels.
public struct ClassificationReport: Sendable {
    /// Label names: the classifier's labels, then any true label it does not know.
    public let labels: [String]
    /// confusion[true][predicted]; the predicted column `labels.count` counts empty predictions.
    public let confusion: [[Int]]
    public let total: Int

    public init(truth: [String], predicted: [String?], classifierLabels: [String]) {
        var labels = classifierLabels
        for label in truth where !labels.contains(label) { labels.append(label) }
        var confusion = [[Int]](repeating: [Int](repeating: 0, count: labels.count + 1), count: labels.count)
        for (trueLabel, guess) in zip(truth, predicted) {
            let row = labels.firstIndex(of: trueLabel)!
            let column = guess.flatMap { labels.firstIndex(of: $0) } ?? labels.count
            confusion[row][column] += 1
        }
        self.labels = labels
        self.confusion = confusion
        total = truth.count
    }

    public var accuracy: Double {
        guard total > 0 else { return 0 }
        return Double(labels.indices.reduce(0) { $0 + confusion[$1][$1] }) / Double(total)
    }

    public struct LabelScores: Sendable {
        public let precision: Double
        public let recall: Double
        public let f1: Double
        public let support: Int
    }

    public func scores(_ label: Int) -> LabelScores {
        let truePositives = Double(confusion[label][label])
        let predicted = Double(labels.indices.reduce(0) { $0 + confusion[$1][label] })
        let support = confusion[label].reduce(0, +)
        let precision = predicted > 0 ? truePositives / predicted : 0
        let recall = support > 0 ? truePositives / Double(support) : 0
        let f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0
        return LabelScores(precision: precision, recall: recall, f1: f1, support: support)
    }

    /// Mean F1 over labels that occur in the test file.
    public var macroF1: Double {
        let present = labels.indices.filter { scores($0).support > 0 }
        guard !present.isEmpty else { return 0 }
        return present.map { scores($0).f1 }.reduce(0, +) / Double(present.count)
    }
}
