import Embedding

/// The `representative` strategy's choice among candidate lines: greedily, the line that is most
/// typical of the pool and least covered by the lines labelled so far, the classifier's
/// hesitation breaking near-ties.
///
/// With a handful of labels per class, a prototype gains most from a line like many others of its
/// class, not from an outlier the classifier is unsure about (the low-budget finding behind
/// TypiClust and ProbCover). A line's typicality is the mean of its `neighbours` highest cosines to
/// the other candidates; its coverage the highest cosine to a labelled line or one already picked.
/// It scores typicality − coverage − `marginWeight` × margin, and each pick covers its
/// neighbourhood, so the next pick goes elsewhere. (K and the margin's weight were chosen on the
/// val topics; models/README.md has the figures.)
public enum RepresentativeSelection {
    /// Cosines averaged for a candidate's typicality.
    public static let neighbours = 5
    /// How much a candidate's margin (top probability minus the runner-up's) counts against it.
    public static let marginWeight: Float = 0.1

    /// Positions of up to `count` candidates (rows of `embeddings`, unit length, with their
    /// `margins`) in the order picked; `labelled`: the unit embeddings of the lines labelled so
    /// far (rows × `dimension`). Ties go to the earlier candidate.
    public static func pick(embeddings: [Float], margins: [Float], labelled: [Float], dimension d: Int, count: Int) -> [Int] {
        let n = margins.count
        precondition(embeddings.count == n * d && labelled.count % d == 0)
        guard n > 0, count > 0 else { return [] }
        let typicality = (0..<n).map { row -> Float in
            let cosines = Prototypes.cosines(of: embeddings, row: row, to: embeddings, count: n, dimension: d)
            // The `neighbours` highest, kept sorted descending: O(n · neighbours), not a sort of n.
            var nearest: [Float] = []
            for (other, cosine) in cosines.enumerated() where other != row {
                guard nearest.count < neighbours || cosine > nearest[nearest.count - 1] else { continue }
                if nearest.count == neighbours { nearest.removeLast() }
                nearest.insert(cosine, at: nearest.firstIndex { $0 < cosine } ?? nearest.count)
            }
            return nearest.isEmpty ? 0 : nearest.reduce(0, +) / Float(nearest.count)
        }
        var coverage = [Float](repeating: -1, count: n)
        let labelledCount = labelled.count / d
        if labelledCount > 0 {
            for row in 0..<n {
                coverage[row] = Prototypes.cosines(of: embeddings, row: row, to: labelled, count: labelledCount, dimension: d).max()!
            }
        }
        var picked: [Int] = []
        var available = [Bool](repeating: true, count: n)
        while picked.count < min(count, n) {
            var best = -1
            var bestScore = -Float.infinity
            for row in 0..<n where available[row] {
                let score = typicality[row] - coverage[row] - marginWeight * margins[row]
                if score > bestScore { (best, bestScore) = (row, score) }
            }
            picked.append(best)
            available[best] = false
            let cosines = Prototypes.cosines(of: embeddings, row: best, to: embeddings, count: n, dimension: d)
            for row in 0..<n { coverage[row] = max(coverage[row], cosines[row]) }
        }
        return picked
    }
}
