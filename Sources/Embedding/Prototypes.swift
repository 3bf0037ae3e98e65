import Transformer

/// A label's prototype is the mean of its examples' embeddings; its direction is all the
/// cosine classifiers use. Computed as per-label sums and counts (which adding, removing and
/// merging examples keep exact), normalized when scoring. The one place prototypes are computed for
/// `fewshot train`/`classify`, `fewshot eval` and Proto-MAML's inner loop.
///
/// Shapes: embeddings rows × C (row-major), sums and prototypes labels × C.
public enum Prototypes {
    /// Per label the sum of its rows: `labels[row]` is the label (0..<labelCount) of each row.
    public static func sums(of embeddings: [Float], labels: [Int], labelCount: Int, dimension d: Int) -> [Float] {
        var sums = [Float](repeating: 0, count: labelCount * d)
        add(embeddings, labels: labels, dimension: d, into: &sums)
        return sums
    }

    /// Adds each row of `embeddings` to its label's sum.
    public static func add(_ embeddings: [Float], labels: [Int], dimension d: Int, into sums: inout [Float]) {
        for (row, label) in labels.enumerated() {
            for j in 0..<d { sums[label * d + j] += embeddings[row * d + j] }
        }
    }

    /// Adds each row of `embeddings` to the sum of every label it has (`memberships[row]`) and
    /// counts it once for each.
    public static func add(
        _ embeddings: [Float], memberships: [[Int]], dimension d: Int, into sums: inout [Float], counts: inout [Int]
    ) {
        for (row, members) in memberships.enumerated() {
            for k in members {
                for j in 0..<d { sums[k * d + j] += embeddings[row * d + j] }
                counts[k] += 1
            }
        }
    }

    /// Unit-length prototypes from per-label sums (the mean's direction).
    public static func normalized(_ sums: [Float], dimension: Int) -> [Float] {
        RowNormalization.normalized(sums, columns: dimension)
    }

    /// Cosine of row `row` of `embeddings` (unit length) to each of `count` unit prototypes.
    public static func cosines(of embeddings: [Float], row: Int, to prototypes: [Float], count: Int, dimension d: Int) -> [Float] {
        let start = row * d
        return (0..<count).map { k in
            var dot: Float = 0
            for j in 0..<d { dot += embeddings[start + j] * prototypes[k * d + j] }
            return dot
        }
    }

    /// Each example's score for each label's prototype as a new line would meet it (rows ×
    /// labels): the cosine to the prototype, except that an example's own labels
    /// (`memberships[row]`, the labels it is in `sums` under) are scored with their prototypes
    /// made without it, rescaled by `heldOutScale` to the cosine a new example is expected to
    /// have with the prototype of all of them. Nil where the example is a label's only one
    /// (nothing is left to hold). Every fit on a classifier's own examples (temperature,
    /// open-set and multi-label thresholds) starts from these scores.
    public static func leaveOneOutCosines(
        embeddings: [Float], memberships: [[Int]], sums: [Float], counts: [Int], dimension d: Int
    ) -> [[Float?]] {
        let prototypes = normalized(sums, dimension: d)
        let scales = counts.indices.map { k in
            var squared: Float = 0
            for j in 0..<d { squared += sums[k * d + j] * sums[k * d + j] }
            return heldOutScale(sumNormSquared: squared, count: counts[k])
        }
        return memberships.enumerated().map { row, labels in
            let e = Array(embeddings[row * d..<(row + 1) * d])
            return counts.indices.map { k -> Float? in
                var prototype = Array(prototypes[k * d..<(k + 1) * d])
                if labels.contains(k) {
                    guard counts[k] > 1 else { return nil }
                    var held = Array(sums[k * d..<(k + 1) * d])
                    for j in 0..<d { held[j] -= e[j] }
                    prototype = normalized(held, dimension: d)
                }
                var dot: Float = 0
                for j in 0..<d { dot += e[j] * prototype[j] }
                return labels.contains(k) ? dot * scales[k] : dot
            }
        }
    }

    /// What turns an example's cosine to its label's prototype made of the other `count − 1`
    /// examples into the cosine a new example of the label is expected to have with the
    /// prototype of all `count` (1 when `count` < 2).
    ///
    /// For unit vectors of one label, any two with mean dot product ρ, the sum of n has squared
    /// length n + n(n − 1)ρ, so a new example's expected cosine to their prototype is
    /// √n ρ / √(1 + (n − 1)ρ), and the ratio for n = K to n = K − 1 is
    /// √(K / (K − 1) · (1 + (K − 2)ρ) / (1 + (K − 1)ρ)). ρ is read off the label's own sum,
    /// (|sum|² − K) / (K(K − 1)), kept in [0, 1]. Why: a held-out cosine meets a weaker prototype
    /// than new lines do, so a temperature fitted on raw held-out cosines came out low and the
    /// probabilities underconfident (5-shot ECE on the val topics of chats 0.081 before, 0.025
    /// after; models/README.md, "Calibrated probabilities").
    public static func heldOutScale(sumNormSquared: Float, count: Int) -> Float {
        guard count > 1 else { return 1 }
        let k = Float(count)
        let rho = min(1, max(0, (sumNormSquared - k) / (k * (k - 1))))
        return (k / (k - 1) * (1 + (k - 2) * rho) / (1 + (k - 1) * rho)).squareRoot()
    }
}
