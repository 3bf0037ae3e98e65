import Embedding

/// "None of these": a line whose best cosine to any prototype is below a threshold gets no label.
/// The threshold is chosen on the classifier's own examples, never on what it will classify:
/// each example's similarity to its own label's prototype made without it (leave-one-out)
/// stands for a line of a known label, and its best similarity to the other labels' prototypes
/// stands for a line of a label the classifier does not know (to those prototypes it is
/// exactly that). The threshold is the midpoint that best separates the two (balanced accuracy),
/// so it needs labels with two or more examples; with one example per label nothing stands for
/// a known line and no threshold is fitted.
public enum OpenSetThreshold {
    /// The fitted cosine threshold, or nil when no label has two examples or there is one label.
    public static func fitted(embeddings: [Float], labels: [Int], sums: [Float], counts: [Int], dimension d: Int) -> Float? {
        fitted(TemperatureFit.leaveOneOutScores(embeddings: embeddings, labels: labels, sums: sums, counts: counts, dimension: d))
    }

    /// The same from scores already computed by `TemperatureFit.leaveOneOutScores`; each row's
    /// `penalties` entry (what `BackgroundTopics.penalty` takes from that example's open-set
    /// score; none: 0) is subtracted from both its scores.
    public static func fitted(_ scored: (scores: [[Float]], truth: [Int]), penalties: [Float]? = nil) -> Float? {
        guard (scored.scores.first?.count ?? 0) >= 2 else { return nil }
        precondition(penalties == nil || penalties!.count == scored.scores.count)
        var known: [Float] = []
        var unknown: [Float] = []
        for (position, (row, label)) in zip(scored.scores, scored.truth).enumerated() {
            let penalty = penalties?[position] ?? 0
            known.append(row[label] - penalty)
            unknown.append((row.enumerated().filter { $0.offset != label }.map(\.element).max() ?? -1) - penalty)
        }
        return separating(known: known, unknown: unknown)
    }

    /// The threshold t maximizing the balanced accuracy of "known if score ≥ t": the mean of the
    /// fraction of `known` at or above t and of `unknown` below it; ties go to the lowest t.
    public static func separating(known: [Float], unknown: [Float]) -> Float {
        let values = (known + unknown).sorted()
        var candidates = [values[0] - 1e-3]
        for (a, b) in zip(values, values.dropFirst()) where a < b { candidates.append((a + b) / 2) }
        candidates.append(values[values.count - 1] + 1e-3)
        var best = candidates[0]
        var bestScore = -1.0
        for t in candidates {
            let knownKept = Double(known.filter { $0 >= t }.count) / Double(max(known.count, 1))
            let unknownRefused = Double(unknown.filter { $0 < t }.count) / Double(max(unknown.count, 1))
            let score = (knownKept + unknownRefused) / 2
            if score > bestScore {
                bestScore = score
                best = t
            }
        }
        return best
    }
}
