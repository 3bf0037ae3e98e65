import Foundation
import Transformer

/// The training losses on top of embeddings, each with its backward pass. Written over any
/// floating-point type so tests check them by finite differences in Double.
///
/// Shapes: E embeddings n×d (row-major), dE their gradient (overwritten).
public enum Losses {
    /// Prototypical Networks: prototypes are class means of the support rows; logits are
    /// −scale·‖query − prototype‖²; the loss is the mean cross-entropy over the queries.
    /// Rows: ways×shots support rows (class by class), then ways×queries query rows.
    /// Returns (loss, accuracy) and writes dE.
    public static func prototypical<S: BinaryFloatingPoint>(
        _ e: UnsafePointer<S>, dimension d: Int, ways: Int, shots: Int, queries: Int, scale: S, gradient dE: UnsafeMutablePointer<S>
    ) -> (loss: Double, accuracy: Double) {
        let supportRows = ways * shots
        let queryRows = ways * queries
        let prototypes = supportMeans(e, dimension: d, ways: ways, shots: shots)
        dE.update(repeating: 0, count: (supportRows + queryRows) * d)
        var dPrototypes = [S](repeating: 0, count: ways * d)
        var loss = 0.0
        var correct = 0
        var logits = [S](repeating: 0, count: ways)
        var dLogits = [S](repeating: 0, count: ways)
        for q in 0..<queryRows {
            let row = supportRows + q
            let label = q / queries
            for k in 0..<ways {
                var distance: S = 0
                for j in 0..<d {
                    let difference = e[row * d + j] - prototypes[k * d + j]
                    distance += difference * difference
                }
                logits[k] = -scale * distance
            }
            let result = SoftmaxCrossEntropy.lossAndGradient(logits, label: label, rows: queryRows, gradient: &dLogits)
            loss += result.loss
            if result.correct { correct += 1 }
            for k in 0..<ways {
                let dLogit = dLogits[k]
                // logit = −scale·‖e − c‖²: d/de = −2·scale·(e − c), d/dc = 2·scale·(e − c)
                for j in 0..<d {
                    let difference = e[row * d + j] - prototypes[k * d + j]
                    dE[row * d + j] -= dLogit * 2 * scale * difference
                    dPrototypes[k * d + j] += dLogit * 2 * scale * difference
                }
            }
        }
        addSupportGradient(dPrototypes, dimension: d, ways: ways, shots: shots, into: dE)
        return (loss / Double(queryRows), Double(correct) / Double(queryRows))
    }

    /// The class means of the support rows (ways × shots rows, class by class): the prototypes.
    static func supportMeans<S: BinaryFloatingPoint>(_ e: UnsafePointer<S>, dimension d: Int, ways: Int, shots: Int) -> [S] {
        var means = [S](repeating: 0, count: ways * d)
        for k in 0..<ways {
            for s in 0..<shots {
                for j in 0..<d { means[k * d + j] += e[(k * shots + s) * d + j] }
            }
            for j in 0..<d { means[k * d + j] /= S(shots) }
        }
        return means
    }

    /// Passes a gradient with respect to the class means (`supportMeans`) back to the support
    /// rows: each row of a class gets its mean's gradient over shots, added into dE.
    static func addSupportGradient<S: BinaryFloatingPoint>(
        _ dMeans: [S], dimension d: Int, ways: Int, shots: Int, into dE: UnsafeMutablePointer<S>
    ) {
        for k in 0..<ways {
            for s in 0..<shots {
                for j in 0..<d { dE[(k * shots + s) * d + j] += dMeans[k * d + j] / S(shots) }
            }
        }
    }

    /// Distillation: project each embedding to the teacher's width, y = W·e + b (W: t×d), and
    /// minimize the mean of 1 − cos(y, teacher). Accumulates dW, db; writes dE. Returns the loss.
    public static func cosineDistillation<S: BinaryFloatingPoint>(
        _ e: UnsafePointer<S>, rows: Int, dimension d: Int, teacher: UnsafePointer<S>, teacherDimension t: Int,
        weight: UnsafePointer<S>, bias: UnsafePointer<S>, dWeight: UnsafeMutablePointer<S>, dBias: UnsafeMutablePointer<S>,
        gradient dE: UnsafeMutablePointer<S>
    ) -> Double {
        var loss = 0.0
        var y = [S](repeating: 0, count: t)
        var dy = [S](repeating: 0, count: t)
        for row in 0..<rows {
            let input = e + row * d
            let target = teacher + row * t
            var yNorm: S = 0, tNorm: S = 0, dot: S = 0
            for i in 0..<t {
                var sum = bias[i]
                for j in 0..<d { sum += weight[i * d + j] * input[j] }
                y[i] = sum
                yNorm += sum * sum
                tNorm += target[i] * target[i]
                dot += sum * target[i]
            }
            yNorm = max(yNorm.squareRoot(), S(1e-12))
            tNorm = max(tNorm.squareRoot(), S(1e-12))
            let cosine = dot / (yNorm * tNorm)
            loss += Double(1 - cosine)
            // d(1 − cos)/dy = −(t̂ − cos·ŷ)/‖y‖, averaged over rows
            for i in 0..<t { dy[i] = -(target[i] / tNorm - cosine * y[i] / yNorm) / yNorm / S(rows) }
            for j in 0..<d { dE[row * d + j] = 0 }
            for i in 0..<t {
                dBias[i] += dy[i]
                for j in 0..<d {
                    dWeight[i * d + j] += dy[i] * input[j]
                    dE[row * d + j] += weight[i * d + j] * dy[i]
                }
            }
        }
        return loss / Double(rows)
    }

    /// A softmax classifier over `classes` labels on top of the embeddings (the non-episodic
    /// "pretrain" baseline): logits = W·e + b, mean cross-entropy. Accumulates dW, db; writes dE.
    public static func softmaxClassifier<S: BinaryFloatingPoint>(
        _ e: UnsafePointer<S>, rows: Int, dimension d: Int, labels: [Int], classes: Int,
        weight: UnsafePointer<S>, bias: UnsafePointer<S>, dWeight: UnsafeMutablePointer<S>, dBias: UnsafeMutablePointer<S>,
        gradient dE: UnsafeMutablePointer<S>
    ) -> (loss: Double, accuracy: Double) {
        var loss = 0.0
        var correct = 0
        var logits = [Double](repeating: 0, count: classes)
        var dLogits = [Double](repeating: 0, count: classes)
        for row in 0..<rows {
            let input = e + row * d
            for c in 0..<classes {
                var sum = Double(bias[c])
                for j in 0..<d { sum += Double(weight[c * d + j] * input[j]) }
                logits[c] = sum
            }
            let result = SoftmaxCrossEntropy.lossAndGradient(logits, label: labels[row], rows: rows, gradient: &dLogits)
            loss += result.loss
            if result.correct { correct += 1 }
            for j in 0..<d { dE[row * d + j] = 0 }
            for c in 0..<classes {
                let dLogit = S(dLogits[c])
                dBias[c] += dLogit
                for j in 0..<d {
                    dWeight[c * d + j] += dLogit * input[j]
                    dE[row * d + j] += weight[c * d + j] * dLogit
                }
            }
        }
        return (loss / Double(rows), Double(correct) / Double(rows))
    }
}
