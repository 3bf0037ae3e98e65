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
        let d = model.dimension
        let embeddings = try model.embed(lines: examples.map(\.text))
        for label in examples.flatMap(\.labels) where !labels.contains(label) {
            labels.append(label)
            sums += [Float](repeating: 0, count: d)
            counts.append(0)
        }
        let memberships = examples.map { $0.labels.map { labels.firstIndex(of: $0)! } }
        for (row, members) in memberships.enumerated() {
            for k in members {
                for j in 0..<d { sums[k * d + j] += embeddings[row * d + j] }
                counts[k] += 1
            }
        }
        memory?.append(embeddings: embeddings, memberships: memberships, texts: examples.map(\.text))
        if let memory {
            refit(embeddings: memory.embeddings, memberships: memory.memberships)
        } else {
            refit(embeddings: embeddings, memberships: memberships)
        }
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
