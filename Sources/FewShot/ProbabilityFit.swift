import Embedding

/// How a classifier turns cosines into probabilities and decisions, fitted on its own stored
/// examples (leave-one-out) each time they change, never on what it will classify. One value,
/// stored in the `.fsc` as JSON, so a new part (such as a lexical weight) is one new field.
///
/// Single-label: softmax(temperature · cosine) over labels (`TemperatureFit`) and an open-set
/// threshold on the best cosine (`OpenSetThreshold`). Multi-label: each label's own
/// σ(slope · (cosine − threshold)) (`MultiLabelFit`).
public struct ProbabilityFit: Codable, Sendable, Equatable {
    /// The softmax temperature (single-label).
    public var temperature: Float
    /// The user chose the temperature (`train --temperature T`): fits keep it, through updates,
    /// forgetting, merges and rebuilds.
    public var temperatureIsFixed: Bool
    /// "None of these" below this best cosine; nil when the examples allow no fit (one example
    /// per label) and for multi-label classifiers.
    public var openSetThreshold: Float?
    /// The per-label thresholds and shared slope of a multi-label classifier; nil for a
    /// single-label one (this is what makes a classifier multi-label).
    public var multiLabel: MultiLabel?
    /// Scores are cos(embedding, prototype) + lexicalWeight · cos(TF-IDF, TF-IDF prototype) (the
    /// hybrid of words and meaning, `LexicalTable`); nil or 0: the embeddings alone.
    public var lexicalWeight: Float?

    public struct MultiLabel: Codable, Sendable, Equatable {
        /// Per label, the cosine at which it starts to apply.
        public var thresholds: [Float]
        public var slope: Float
    }

    /// The fit of a classifier with no examples yet: what examples that allow no fit leave.
    public static func unfitted(multiLabel: Bool, fixedTemperature: Float?, lexicalWeight: Float? = nil) -> ProbabilityFit {
        ProbabilityFit(
            temperature: fixedTemperature ?? TemperatureFit.unfitted, temperatureIsFixed: fixedTemperature != nil, openSetThreshold: nil,
            multiLabel: multiLabel ? MultiLabel(thresholds: [], slope: MultiLabelFit.fallbackSlope) : nil, lexicalWeight: lexicalWeight)
    }

    /// The fit of these examples given their leave-one-out scores (rows × labels: each example's
    /// score for each label, its own labels' prototypes made without it; nil where it is a
    /// label's only example), their label lists and the labels' example counts. Whatever they
    /// allow no fit for gets the value of a new classifier: the temperature
    /// `TemperatureFit.unfitted` (or the fixed one), no open-set threshold, a multi-label
    /// threshold the mean of the fitted ones. `temperaturePrior`: nil for an adapted encoder's
    /// scores (`TemperatureFit.prior` says why). `openSetPenalties`: per example, what its
    /// open-set score loses (`BackgroundTopics.penalty`); none: nothing.
    public static func fitted(
        leaveOneOut scores: [[Float?]], memberships: [[Int]], counts: [Int], multiLabel: Bool, fixedTemperature: Float?,
        lexicalWeight: Float?, temperaturePrior: TemperatureFit.Prior? = TemperatureFit.prior, openSetPenalties: [Float]? = nil
    ) -> ProbabilityFit {
        var fit = unfitted(multiLabel: multiLabel, fixedTemperature: fixedTemperature, lexicalWeight: lexicalWeight)
        guard multiLabel else {
            let labels = memberships.map { $0[0] }
            let scored = TemperatureFit.usable(scores, labels: labels, counts: counts)
            if fixedTemperature == nil, let fitted = TemperatureFit.fitted(scored, prior: temperaturePrior) { fit.temperature = fitted }
            fit.openSetThreshold = OpenSetThreshold.fitted(
                scored,
                penalties: openSetPenalties.map { penalties in
                    TemperatureFit.usableRows(labels: labels, counts: counts).map { penalties[$0] }
                })
            return fit
        }
        let fitted = MultiLabelFit.thresholds(scores: scores, memberships: memberships, labelCount: counts.count)
        let known = fitted.compactMap { $0 }
        let fallback = known.isEmpty ? MultiLabelFit.fallbackThreshold : known.reduce(0, +) / Float(known.count)
        let thresholds = fitted.map { $0 ?? fallback }
        let slope =
            known.isEmpty
            ? MultiLabelFit.fallbackSlope : MultiLabelFit.slope(scores: scores, memberships: memberships, thresholds: thresholds)
        fit.multiLabel = MultiLabel(thresholds: thresholds, slope: slope)
        return fit
    }

    /// What makes this fit unusable for a classifier of `labelCount` labels (a damaged file),
    /// or nil when it is sound. `penaltyBound`: the largest open-set penalty of the encoder's
    /// background topics (`BackgroundTopics.largestPenalty`).
    public func problem(labelCount: Int, penaltyBound: Float = 0) -> String? {
        guard temperature.isFinite, temperature > 0 else { return "temperature \(temperature)" }
        let weight = lexicalWeight ?? 0
        guard weight.isFinite, (0...100).contains(weight) else { return "lexical weight \(weight)" }
        // A score is a cosine plus `weight` times another, less at most `penaltyBound`.
        if let openSetThreshold, !(openSetThreshold.isFinite && abs(openSetThreshold) <= 2 * (1 + weight) + penaltyBound) {
            return "open-set threshold \(openSetThreshold)"
        }
        if let multiLabel {
            guard multiLabel.thresholds.count == labelCount, multiLabel.thresholds.allSatisfy({ $0.isFinite }) else {
                return "\(multiLabel.thresholds.count) multi-label thresholds for \(labelCount) labels"
            }
            guard multiLabel.slope.isFinite, multiLabel.slope > 0 else { return "multi-label slope \(multiLabel.slope)" }
        }
        return nil
    }
}
