import Foundation

/// Cross-entropy of softmax(logits) at the true class, for one row of logits: the loss every
/// classifier on top of embeddings uses (ProtoNet, the pretraining and Proto-MAML heads, the
/// cosine classifier that adapts a task, the temperature fit). Accumulated in Double whatever
/// the logits' type, with the largest logit subtracted first so no exponential overflows.
public enum SoftmaxCrossEntropy {
    /// −log softmax(logits)[label], and whether the label has the largest logit (the first
    /// largest on ties, as argmax).
    public static func loss<S: BinaryFloatingPoint>(_ logits: [S], label: Int) -> (loss: Double, correct: Bool) {
        let largest = logits.max()!
        var total = 0.0
        for logit in logits { total += Foundation.exp(Double(logit - largest)) }
        return (-(Double(logits[label] - largest) - Foundation.log(total)), logits.firstIndex(of: largest) == label)
    }

    /// The loss of `loss(_:label:)`, and its gradient with respect to the logits divided by
    /// `rows` (the loss of a batch is the mean over its rows): (softmax − one-hot) / rows.
    public static func lossAndGradient<S: BinaryFloatingPoint>(
        _ logits: [S], label: Int, rows: Int, gradient: inout [S]
    ) -> (loss: Double, correct: Bool) {
        let largest = logits.max()!
        var total = 0.0
        for logit in logits { total += Foundation.exp(Double(logit - largest)) }
        for k in logits.indices {
            let probability = Foundation.exp(Double(logits[k] - largest)) / total
            gradient[k] = S((probability - (k == label ? 1 : 0)) / Double(rows))
        }
        return (-(Double(logits[label] - largest) - Foundation.log(total)), logits.firstIndex(of: largest) == label)
    }
}
