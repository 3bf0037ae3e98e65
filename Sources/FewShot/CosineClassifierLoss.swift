import Foundation
import Transformer

/// The loss that adapts a classifier to its own examples (`train --finetune-steps`).
public enum CosineClassifierLoss {
    /// A cosine classifier on L2-normalized embeddings: logits = scale · ê·ŵ_k with ŵ_k = W_k/‖W_k‖,
    /// mean cross-entropy over the rows. Used to adapt a classifier to its own support set, with W
    /// initialized from the prototypes (so step 0 is exactly the prototype classifier).
    /// Accumulates dW (classes×d); writes dE. Returns (loss, accuracy).
    public static func evaluate<S: BinaryFloatingPoint>(
        _ e: UnsafePointer<S>, rows: Int, dimension d: Int, labels: [Int], classes: Int, scale: S,
        weight: UnsafePointer<S>, dWeight: UnsafeMutablePointer<S>, gradient dE: UnsafeMutablePointer<S>
    ) -> (loss: Double, accuracy: Double) {
        var norms = [S](repeating: 0, count: classes)
        for k in 0..<classes {
            var sum: S = 0
            for j in 0..<d { sum += weight[k * d + j] * weight[k * d + j] }
            norms[k] = max(sum.squareRoot(), S(1e-12))
        }
        var loss = 0.0
        var correct = 0
        var cosines = [S](repeating: 0, count: classes)
        var dLogits = [Double](repeating: 0, count: classes)
        for row in 0..<rows {
            let x = e + row * d
            for k in 0..<classes {
                var dot: S = 0
                for j in 0..<d { dot += x[j] * weight[k * d + j] }
                cosines[k] = dot / norms[k]
            }
            let logits = cosines.map { Double(scale * $0) }
            let result = SoftmaxCrossEntropy.lossAndGradient(logits, label: labels[row], rows: rows, gradient: &dLogits)
            loss += result.loss
            if result.correct { correct += 1 }
            for j in 0..<d { dE[row * d + j] = 0 }
            for k in 0..<classes {
                let dCosine = S(dLogits[k]) * scale
                for j in 0..<d {
                    let w = weight[k * d + j] / norms[k]
                    dE[row * d + j] += dCosine * w
                    dWeight[k * d + j] += dCosine * (x[j] - cosines[k] * w) / norms[k]
                }
            }
        }
        return (loss / Double(rows), Double(correct) / Double(rows))
    }
}
