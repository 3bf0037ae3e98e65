import Embedding
import Foundation
import Transformer

/// Temperature scaling fitted on a classifier's own examples, so that its probabilities
/// (softmax over labels of T · cosine to each prototype) mean what they say.
///
/// `fewshot train` applies it; `fewshot eval --calibration` measures it against the fixed T = 20,
/// genre by genre with `--family each` (models/README.md records the figures with their
/// commands). A leave-one-out prototype of K − 1 examples is weaker than the K-example prototype a
/// new line meets, so the held-out cosines are rescaled to what a new line is expected to score
/// (`Prototypes.heldOutScale`) before the fit; with one example per label nothing can be fitted
/// and T is `unfitted`, chosen on val topics for 1 shot.
public enum TemperatureFit {
    /// The fixed temperature of classifier files written before it was fitted.
    public static let fallback: Float = 20
    /// The temperature of a classifier whose examples allow no fit (one example per label),
    /// chosen on the val topics of four genres: the shipped default's mean expected calibration
    /// error at 1 shot was 0.232 at T = 20, 0.051 at 7, 0.044 at 8, 0.050 at 9 (`fewshot eval
    /// --model default --index genres.fsi --split val --family each --shots 1 --episodes 300
    /// --seed 1234 --calibration --unfitted-temperature T`, models/README.md has the index).
    public static let unfitted: Float = 8
    /// Fitted values are kept inside this range (a handful of examples can be separable, which
    /// would send T to infinity).
    public static let range: ClosedRange<Float> = 2...100

    /// The probabilities softmax(T · score) over labels: what a classifier prints, and what
    /// `fewshot eval --active` ranks pool lines by.
    public static func softmax(_ scores: [Float], temperature: Float) -> [Float] {
        let scaled = scores.map { temperature * $0 }
        let largest = scaled.max() ?? 0
        let exps = scaled.map { Foundation.exp($0 - largest) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }

    /// Leave-one-out cosine scores of examples (row-major `embeddings`, unit length) to every
    /// label (`Prototypes.leaveOneOutCosines`: the held-out ones rescaled), given the
    /// classifier's per-label sums (which include these examples) and counts.
    /// Returns one score row per usable example and its label.
    public static func leaveOneOutScores(
        embeddings: [Float], labels: [Int], sums: [Float], counts: [Int], dimension d: Int
    ) -> (scores: [[Float]], truth: [Int]) {
        usable(
            Prototypes.leaveOneOutCosines(
                embeddings: embeddings, memberships: labels.map { [$0] }, sums: sums, counts: counts, dimension: d),
            labels: labels, counts: counts)
    }

    /// The rows of leave-one-out scores (nil where an example is its label's only one) that a
    /// fit can use: those of examples whose label has two or more, with their labels.
    public static func usable(_ scores: [[Float?]], labels: [Int], counts: [Int]) -> (scores: [[Float]], truth: [Int]) {
        let rows = labels.indices.filter { counts[labels[$0]] > 1 }
        return (rows.map { scores[$0].compactMap { $0 } }, rows.map { labels[$0] })
    }

    /// The temperature fitted leave-one-out on these examples (see `leaveOneOutScores`), or nil
    /// when they allow no fit: fewer than two scored examples, or a single label.
    public static func fitted(embeddings: [Float], labels: [Int], sums: [Float], counts: [Int], dimension: Int) -> Float? {
        fitted(leaveOneOutScores(embeddings: embeddings, labels: labels, sums: sums, counts: counts, dimension: dimension))
    }

    /// The same from scores already computed by `leaveOneOutScores`.
    public static func fitted(_ scored: (scores: [[Float]], truth: [Int])) -> Float? {
        guard (scored.scores.first?.count ?? 0) >= 2, scored.scores.count >= 2 else { return nil }
        return fit(scores: scored.scores, truth: scored.truth)
    }

    /// Mean negative log-likelihood of softmax(T · scores) at the true labels.
    public static func negativeLogLikelihood(_ scores: [[Float]], _ truth: [Int], temperature t: Float) -> Double {
        var total = 0.0
        for (row, label) in zip(scores, truth) {
            total += SoftmaxCrossEntropy.loss(row.map { Double(t) * Double($0) }, label: label).loss
        }
        return total / Double(max(1, scores.count))
    }

    /// The NLL-minimizing temperature within `range`, or `unfitted` with no scores.
    public static func fit(scores: [[Float]], truth: [Int]) -> Float {
        guard !scores.isEmpty, scores.first!.count > 1 else { return unfitted }
        let logRange = Foundation.log(Double(range.lowerBound))...Foundation.log(Double(range.upperBound))
        let best = GoldenSection.minimize({ negativeLogLikelihood(scores, truth, temperature: Float(Foundation.exp($0))) }, in: logRange)
        return Float(Foundation.exp(best))
    }
}
