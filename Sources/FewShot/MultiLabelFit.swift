import Embedding
import Foundation

/// Several labels per line: each label scores a line on its own, p = σ(slope · (cosine − t)),
/// where t is the label's own threshold (p = 0.5 there) and the slope is shared. Both are fitted
/// on the classifier's examples, leave-one-out: an example's similarity to a label it has is
/// taken to that label's prototype made without it; to a label it lacks, to the whole prototype.
/// A label's threshold best separates the two (balanced accuracy, as `OpenSetThreshold`); the
/// slope maximizes the likelihood of every (example, label) pair. Labels with one example, or
/// that every example has, get the mean of the fitted thresholds (0.5 if none could be fitted).
public enum MultiLabelFit {
    /// The slope used when nothing can be fitted.
    public static let fallbackSlope: Float = 20
    public static let fallbackThreshold: Float = 0.5

    /// Per label the fitted threshold, or nil where the examples allow none.
    public static func thresholds(scores: [[Float?]], memberships: [[Int]], labelCount: Int) -> [Float?] {
        (0..<labelCount).map { k in
            var known: [Float] = []
            var unknown: [Float] = []
            for (row, labels) in memberships.enumerated() {
                guard let score = scores[row][k] else { continue }
                if labels.contains(k) { known.append(score) } else { unknown.append(score) }
            }
            guard !known.isEmpty, !unknown.isEmpty else { return nil }
            return OpenSetThreshold.separating(known: known, unknown: unknown)
        }
    }

    /// The slope maximizing the likelihood of σ(slope · (score − threshold)) for every pair,
    /// within 1...200; `fallbackSlope` with no pair.
    public static func slope(scores: [[Float?]], memberships: [[Int]], thresholds: [Float]) -> Float {
        var pairs: [(margin: Double, member: Bool)] = []
        for (row, labels) in memberships.enumerated() {
            for k in thresholds.indices {
                if let score = scores[row][k] { pairs.append((Double(score - thresholds[k]), labels.contains(k))) }
            }
        }
        guard pairs.contains(where: \.member), pairs.contains(where: { !$0.member }) else { return fallbackSlope }
        func loss(_ logSlope: Double) -> Double {
            let a = Foundation.exp(logSlope)
            return pairs.reduce(0.0) { total, pair in
                let z = a * pair.margin * (pair.member ? 1 : -1)
                return total + (z > 0 ? Foundation.log1p(Foundation.exp(-z)) : -z + Foundation.log1p(Foundation.exp(z)))
            }
        }
        return Float(Foundation.exp(GoldenSection.minimize(loss, in: 0...Foundation.log(200.0))))
    }

    /// σ(slope · (cosine − threshold)).
    public static func probability(cosine: Float, threshold: Float, slope: Float) -> Float {
        1 / (1 + Foundation.exp(-slope * (cosine - threshold)))
    }
}
