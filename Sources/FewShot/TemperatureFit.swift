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
    /// The prior the fit pulls toward: log T ~ Normal(log 12, 0.5²). A support set gives a
    /// handful of held-out scores, so a likelihood-only T scatters from classifier to classifier;
    /// pooled, the scatter reads as underconfidence in the middle and overconfidence at the top
    /// (the episodes with a T too low fill the middle bins, those with a T too high the top
    /// one). Chosen on the val topics of eight genres (center 8–14 and spread 0.25–1 swept on
    /// `default`; 0.5 best or near it at every center): mean ECE 0.079 → 0.031 at 2 shots, 0.027 →
    /// 0.020 at 5, 0.020 → 0.020 at 10 for `default`, lower or level for `fast` and `accurate` too
    /// (`fewshot eval --model MODEL --index genres8.fsi --split val --family each --shots 2,5,10
    /// --episodes 300 --seed 1234 --calibration`, before and after; models/README.md has the index
    /// and the tables).
    ///
    /// Only for scores of the encoder as shipped: an adapted encoder spreads its cosines (its
    /// fitted T is 3–9), and on its val fits this prior doubled the error (Bible topics 0.031 →
    /// 0.077, chats 0.042 → 0.096, `eval --calibration --finetune-steps 20 --finetune-choice
    /// always`, 20 episodes per genre), so adapted classifiers fit by likelihood alone.
    public static let prior = Prior(center: 12, spread: 0.5)

    /// log T ~ Normal(log center, spread²).
    public struct Prior: Sendable, Equatable {
        public let center: Float
        public let spread: Double
    }
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
        let rows = usableRows(labels: labels, counts: counts)
        return (rows.map { scores[$0].compactMap { $0 } }, rows.map { labels[$0] })
    }

    /// Which examples `usable` keeps: those whose label has two or more.
    public static func usableRows(labels: [Int], counts: [Int]) -> [Int] {
        labels.indices.filter { counts[labels[$0]] > 1 }
    }

    /// The temperature fitted leave-one-out on these examples (see `leaveOneOutScores`), or nil
    /// when they allow no fit: fewer than two scored examples, or a single label.
    public static func fitted(embeddings: [Float], labels: [Int], sums: [Float], counts: [Int], dimension: Int) -> Float? {
        fitted(leaveOneOutScores(embeddings: embeddings, labels: labels, sums: sums, counts: counts, dimension: dimension), prior: prior)
    }

    /// The same from scores already computed by `leaveOneOutScores`.
    /// `prior`: nil for the scores of an adapted encoder (likelihood alone).
    public static func fitted(_ scored: (scores: [[Float]], truth: [Int]), prior: Prior?) -> Float? {
        guard (scored.scores.first?.count ?? 0) >= 2, scored.scores.count >= 2 else { return nil }
        return fit(scores: scored.scores, truth: scored.truth, prior: prior)
    }

    /// Mean negative log-likelihood of softmax(T · scores) at the true labels.
    public static func negativeLogLikelihood(_ scores: [[Float]], _ truth: [Int], temperature t: Float) -> Double {
        var total = 0.0
        for (row, label) in zip(scores, truth) {
            total += SoftmaxCrossEntropy.loss(row.map { Double(t) * Double($0) }, label: label).loss
        }
        return total / Double(max(1, scores.count))
    }

    /// What the fit minimizes, per scored example: the mean negative log-likelihood plus the
    /// prior's (log T − log center)² / (2 · spread²) shared among the examples, so that the more
    /// examples a classifier has, the less the prior weighs.
    public static func objective(_ scores: [[Float]], _ truth: [Int], temperature t: Float, prior: Prior?) -> Double {
        let likelihood = negativeLogLikelihood(scores, truth, temperature: t)
        guard let prior else { return likelihood }
        let distance = Foundation.log(Double(t)) - Foundation.log(Double(prior.center))
        return likelihood + distance * distance / (2 * prior.spread * prior.spread) / Double(max(1, scores.count))
    }

    /// The most probable temperature within `range` given the scores and the prior (maximum a
    /// posteriori; with no prior, the most likely), or `unfitted` with no scores.
    public static func fit(scores: [[Float]], truth: [Int], prior: Prior?) -> Float {
        guard !scores.isEmpty, scores.first!.count > 1 else { return unfitted }
        let logRange = Foundation.log(Double(range.lowerBound))...Foundation.log(Double(range.upperBound))
        let best = GoldenSection.minimize(
            { objective(scores, truth, temperature: Float(Foundation.exp($0)), prior: prior) }, in: logRange)
        return Float(Foundation.exp(best))
    }
}
