import Embedding

extension FewShotClassifier {
    /// Adds examples with one or more labels each (a multi-label classifier): each example's
    /// embedding joins the sum of every label it has. The thresholds and slope are refitted on
    /// all stored examples (on these alone for a file that keeps none; `MultiLabelFit`); labels
    /// they allow no fit for keep an earlier threshold, or get the mean of the fitted ones.
    public func addMultiLabel(_ examples: [(labels: [String], text: [UInt8])]) throws {
        guard labels.isEmpty || multiLabel else {
            throw ClassifierError.mixedLabelModes("'\(model.path)' is single-label; add examples without --multi-label")
        }
        multiLabel = true
        let embeddings = try model.embed(lines: examples.map(\.text))
        absorb(embeddings, memberships: examples.map { $0.labels.map(position(of:)) }, texts: examples.map(\.text))
    }

    /// Every label's own probability, ranked; `similarity` is the best cosine.
    func multiLabelPrediction(cosines: [Float]) -> Prediction {
        let ranked = cosines.enumerated().map {
            (
                label: $0.offset,
                probability: MultiLabelFit.probability(cosine: $0.element, threshold: thresholds[$0.offset], slope: multiLabelSlope)
            )
        }.sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.label < $1.label }
        return Prediction(ranked: ranked, similarity: cosines.max() ?? 0)
    }
}
