import Embedding
import Foundation
import Transformer

/// Temperature scaling fitted on a classifier's own examples, so that its probabilities
/// (softmax over labels of T · cosine to each prototype) mean what they say.
///
/// `fewshot train` applies it; `fewshot eval --calibration` measures it against the fixed T = 20.
/// On the val topics (5-way 5-shot, 300 episodes) it lowered the expected calibration error of the
/// shipped default on all five genres (for example 0.076 → 0.057 on Bible topics, 0.075 → 0.047 on
/// fortunes). A leave-one-out prototype of K − 1 examples is weaker than the K-example prototype a
/// new line meets, so the fit leans low (slightly underconfident); with one example per label
/// nothing can be fitted and T is `unfitted`, chosen on val topics for 1 shot.
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

    /// Leave-one-out cosine scores of examples (row-major `embeddings`, unit length) to every
    /// label, given the classifier's per-label sums (which include these examples) and counts.
    /// Returns one score row per usable example and its label.
    public static func leaveOneOutScores(
        embeddings: [Float], labels: [Int], sums: [Float], counts: [Int], dimension d: Int
    ) -> (scores: [[Float]], truth: [Int]) {
        let classes = counts.count
        let normalized = Prototypes.normalized(sums, dimension: d)
        let prototypes = (0..<classes).map { Array(normalized[$0 * d..<($0 + 1) * d]) }
        var scores: [[Float]] = []
        var truth: [Int] = []
        for (row, label) in labels.enumerated() where counts[label] > 1 {
            let e = Array(embeddings[row * d..<(row + 1) * d])
            var own = Array(sums[label * d..<(label + 1) * d])
            for j in 0..<d { own[j] -= e[j] }
            let held = Prototypes.normalized(own, dimension: d)
            scores.append(
                (0..<classes).map { k in
                    let p = k == label ? held : prototypes[k]
                    var dot: Float = 0
                    for j in 0..<d { dot += e[j] * p[j] }
                    return dot
                })
            truth.append(label)
        }
        return (scores, truth)
    }

    /// The temperature fitted leave-one-out on these examples (see `leaveOneOutScores`), or nil
    /// when they allow no fit: fewer than two scored examples, or a single label.
    public static func fitted(embeddings: [Float], labels: [Int], sums: [Float], counts: [Int], dimension: Int) -> Float? {
        guard counts.count >= 2 else { return nil }
        let scored = leaveOneOutScores(embeddings: embeddings, labels: labels, sums: sums, counts: counts, dimension: dimension)
        return scored.scores.count >= 2 ? fit(scores: scored.scores, truth: scored.truth) : nil
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
        var low = Foundation.log(Double(range.lowerBound)), high = Foundation.log(Double(range.upperBound))
        let ratio = (5.0.squareRoot() - 1) / 2
        func loss(_ x: Double) -> Double { negativeLogLikelihood(scores, truth, temperature: Float(Foundation.exp(x))) }
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var fa = loss(a), fb = loss(b)
        for _ in 0..<60 {
            if fa < fb {
                high = b
                b = a
                fb = fa
                a = high - ratio * (high - low)
                fa = loss(a)
            } else {
                low = a
                a = b
                fa = fb
                b = low + ratio * (high - low)
                fb = loss(b)
            }
        }
        return Float(Foundation.exp((low + high) / 2))
    }
}
