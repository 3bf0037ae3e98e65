/// How well predicted label sets match true ones: per-label precision, recall and F1, their
/// macro mean, the micro-F1 over all (line, label) decisions, subset accuracy (the whole set
/// right) and Hamming loss (the fraction of (line, label) decisions that are wrong).
public struct MultiLabelReport: Sendable {
    /// The classifier's labels, then any true label it does not know.
    public let labels: [String]
    public let total: Int
    /// Per label: lines predicted and true, predicted only, true only.
    public let truePositives: [Int]
    public let falsePositives: [Int]
    public let falseNegatives: [Int]
    public let exactMatches: Int

    public init(truth: [[String]], predicted: [[String]], classifierLabels: [String]) {
        var labels = classifierLabels
        for label in truth.joined() where !labels.contains(label) { labels.append(label) }
        var tp = [Int](repeating: 0, count: labels.count), fp = tp, fn = tp
        var exact = 0
        for (trueSet, guessSet) in zip(truth.map(Set.init), predicted.map(Set.init)) {
            if trueSet == guessSet { exact += 1 }
            for (k, label) in labels.enumerated() {
                switch (trueSet.contains(label), guessSet.contains(label)) {
                case (true, true): tp[k] += 1
                case (false, true): fp[k] += 1
                case (true, false): fn[k] += 1
                case (false, false): break
                }
            }
        }
        self.labels = labels
        total = truth.count
        truePositives = tp
        falsePositives = fp
        falseNegatives = fn
        exactMatches = exact
    }

    static func f1(_ tp: Int, _ fp: Int, _ fn: Int) -> Double {
        tp == 0 ? 0 : 2 * Double(tp) / Double(2 * tp + fp + fn)
    }

    public func scores(_ k: Int) -> ClassificationReport.LabelScores {
        let (tp, fp, fn) = (truePositives[k], falsePositives[k], falseNegatives[k])
        return ClassificationReport.LabelScores(
            precision: tp + fp > 0 ? Double(tp) / Double(tp + fp) : 0, recall: tp + fn > 0 ? Double(tp) / Double(tp + fn) : 0,
            f1: Self.f1(tp, fp, fn), support: tp + fn)
    }

    /// F1 over every (line, label) decision pooled.
    public var microF1: Double { Self.f1(truePositives.reduce(0, +), falsePositives.reduce(0, +), falseNegatives.reduce(0, +)) }

    /// Mean F1 over labels that occur in the test file.
    public var macroF1: Double {
        let present = labels.indices.filter { truePositives[$0] + falseNegatives[$0] > 0 }
        guard !present.isEmpty else { return 0 }
        return present.map { scores($0).f1 }.reduce(0, +) / Double(present.count)
    }

    public var subsetAccuracy: Double { total == 0 ? 0 : Double(exactMatches) / Double(total) }

    public var hammingLoss: Double {
        let wrong = falsePositives.reduce(0, +) + falseNegatives.reduce(0, +)
        return total == 0 || labels.isEmpty ? 0 : Double(wrong) / Double(total * labels.count)
    }
}
