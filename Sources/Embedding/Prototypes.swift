import Transformer

/// A label's prototype is the mean of its examples' embeddings; its direction is all the
/// cosine classifiers use. Computed as per-label sums and counts (which adding, removing and
/// merging examples keep exact), normalized when scoring. The one place prototypes are computed for
/// `fewshot train`/`classify`, `fewshot eval` and Proto-MAML's head.
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

    /// The means themselves (for heads that need the prototype's length, like Proto-MAML's).
    public static func means(_ sums: [Float], counts: [Int], dimension d: Int) -> [Float] {
        var means = sums
        for (label, count) in counts.enumerated() {
            for j in 0..<d { means[label * d + j] /= Float(max(count, 1)) }
        }
        return means
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

    /// Cosine of each example to each label's prototype with the example held out of its own
    /// labels' prototypes (rows × labels): `memberships[row]` lists the labels the example is
    /// in `sums` under. Nil where the example is a label's only one (nothing is left to hold).
    public static func leaveOneOutCosines(
        embeddings: [Float], memberships: [[Int]], sums: [Float], counts: [Int], dimension d: Int
    ) -> [[Float?]] {
        let prototypes = normalized(sums, dimension: d)
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
                return dot
            }
        }
    }
}
