import Foundation
import Transformer

/// Meta-training's prototypical loss played on the support set itself: every example is a query
/// against the prototypes (class means) of the others, its own label's mean taken without it.
/// The logits are −scale·‖e − prototype‖², as meta-training's (`Losses.prototypical`), and the
/// loss is the mean cross-entropy over the queries.
///
/// Why leave one out: a head or a prototype that contains the example it classifies is solved
/// by pulling each example to itself, which teaches nothing about new lines; a query outside
/// its prototype is what the classifier meets after training, and what meta-training trained
/// the encoder for. Deterministic: every example is a query once, no sampling. An example whose
/// label has no other example is no query (it still counts in its label's prototype for the
/// others).
public enum LeaveOneOutPrototypeLoss {
    /// `e`: rows × d embeddings; `labels`: each row's class in 0..<classes. Writes dLoss/dE into
    /// `dE` and returns the loss (0 when no label has two examples).
    public static func evaluate<S: BinaryFloatingPoint>(
        _ e: UnsafePointer<S>, rows: Int, dimension d: Int, labels: [Int], classes: Int, scale: S,
        gradient dE: UnsafeMutablePointer<S>
    ) -> Double {
        precondition(labels.count == rows && labels.allSatisfy { (0..<classes).contains($0) })
        var sums = [S](repeating: 0, count: classes * d)
        var counts = [Int](repeating: 0, count: classes)
        for row in 0..<rows {
            counts[labels[row]] += 1
            for j in 0..<d { sums[labels[row] * d + j] += e[row * d + j] }
        }
        let queries = (0..<rows).filter { counts[labels[$0]] >= 2 }
        dE.update(repeating: 0, count: rows * d)
        guard !queries.isEmpty else { return 0 }
        // Gradients with respect to each label's sum: from the full means (other labels'
        // queries) and from the left-one-out means (the label's own queries).
        var dSums = [S](repeating: 0, count: classes * d)
        var prototype = [S](repeating: 0, count: d)
        var logits = [S](repeating: 0, count: classes)
        var dLogits = [S](repeating: 0, count: classes)
        var loss = 0.0
        for row in queries {
            let own = labels[row]
            func fillPrototype(_ k: Int) {
                let held = k == own
                let count = S(counts[k] - (held ? 1 : 0))
                for j in 0..<d { prototype[j] = (sums[k * d + j] - (held ? e[row * d + j] : 0)) / count }
            }
            for k in 0..<classes where counts[k] > 0 {
                fillPrototype(k)
                var distance: S = 0
                for j in 0..<d {
                    let difference = e[row * d + j] - prototype[j]
                    distance += difference * difference
                }
                logits[k] = -scale * distance
            }
            // A label with no example cannot be chosen.
            for k in 0..<classes where counts[k] == 0 { logits[k] = -S.greatestFiniteMagnitude }
            loss += SoftmaxCrossEntropy.lossAndGradient(logits, label: own, rows: queries.count, gradient: &dLogits).loss
            for k in 0..<classes where counts[k] > 0 && dLogits[k] != 0 {
                fillPrototype(k)
                let held = k == own
                let count = S(counts[k] - (held ? 1 : 0))
                for j in 0..<d {
                    // logit = −scale·‖e − p‖²: d/de = −2·scale·(e − p), d/dp = 2·scale·(e − p)
                    let dPrototype = dLogits[k] * 2 * scale * (e[row * d + j] - prototype[j])
                    dE[row * d + j] -= dPrototype
                    // p = (sum − [held] e) / count
                    dSums[k * d + j] += dPrototype / count
                    if held { dE[row * d + j] -= dPrototype / count }
                }
            }
        }
        for row in 0..<rows {
            for j in 0..<d { dE[row * d + j] += dSums[labels[row] * d + j] }
        }
        return loss / Double(queries.count)
    }
}
