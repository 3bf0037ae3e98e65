import Foundation

/// The contrastive loss SetFit fine-tunes its sentence encoder with, over every pair of a
/// support set instead of a sample of pairs (so the update is deterministic): the squared error
/// between two embeddings' cosine and 1 when they share a label, 0 when they do not.
///
/// Same-label and different-label pairs each weigh half (each a mean over its kind), as
/// SetFit's sampler draws as many of one as of the other: a 5-way task has four times as many
/// different-label pairs, which would otherwise only push labels apart and never pull a label
/// together. A support set of one example per label has no same-label pair; the different-label
/// pairs then weigh all.
public enum CosinePairLoss {
    /// `e`: rows × d embeddings, of unit length (the cosine of two rows is their dot product).
    /// Writes dLoss/dE into `dE` and returns the loss.
    public static func evaluate<S: BinaryFloatingPoint>(
        _ e: UnsafePointer<S>, rows: Int, dimension d: Int, labels: [Int], gradient dE: UnsafeMutablePointer<S>
    ) -> Double {
        precondition(labels.count == rows)
        var same = 0
        for i in 0..<rows { for j in (i + 1)..<rows where labels[i] == labels[j] { same += 1 } }
        let different = rows * (rows - 1) / 2 - same
        let sameWeight = same == 0 ? 0 : (different == 0 ? 1 : 0.5) / Double(same)
        let differentWeight = different == 0 ? 0 : (same == 0 ? 1 : 0.5) / Double(different)
        dE.update(repeating: 0, count: rows * d)
        var loss = 0.0
        for i in 0..<rows {
            for j in (i + 1)..<rows {
                let sameLabel = labels[i] == labels[j]
                var cosine: S = 0
                for k in 0..<d { cosine += e[i * d + k] * e[j * d + k] }
                let error = Double(cosine) - (sameLabel ? 1 : 0)
                let weight = sameLabel ? sameWeight : differentWeight
                loss += weight * error * error
                let dCosine = S(2 * weight * error)
                for k in 0..<d {
                    dE[i * d + k] += dCosine * e[j * d + k]
                    dE[j * d + k] += dCosine * e[i * d + k]
                }
            }
        }
        return loss
    }
}
