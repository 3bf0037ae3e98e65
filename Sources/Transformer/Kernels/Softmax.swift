/// Row-wise softmax of scaled scores, forward and backward side by side.
///   p[i, j] = exp(scale·s[i, j] − max) / Σ_j exp(scale·s[i, j] − max)
///   ds[i, j] = scale · p[i, j] · (dp[i, j] − Σ_k p[i, k]·dp[i, k])
/// Shapes (`ShapeLegend`): s, p, dp, ds: R×C (row stride `stride`; L×L in attention). In place
/// is allowed (p may be s).
public enum Softmax {
    public static func forward(_ s: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int, scale: Float) {
        let vectorEnd = columns / vectorWidth * vectorWidth
        let scaleVector = Vector(repeating: scale)
        for row in 0..<rows {
            let values = s + row * stride
            var maxVector = Vector(repeating: -.infinity)
            var index = 0
            while index < vectorEnd {
                maxVector = maximum(maxVector, load(values + index) * scaleVector)
                index += vectorWidth
            }
            var largest = horizontalMax(maxVector)
            while index < columns {
                largest = max(largest, values[index] * scale)
                index += 1
            }
            let largestVector = Vector(repeating: largest)
            var sumVector = Vector()
            index = 0
            while index < vectorEnd {
                let e = exp(load(values + index) * scaleVector - largestVector)
                store(e, values + index)
                sumVector += e
                index += vectorWidth
            }
            var total = horizontalSum(sumVector)
            while index < columns {
                let e = Float(_exp(Double(values[index] * scale - largest)))
                values[index] = e
                total += e
                index += 1
            }
            let inverse = Vector(repeating: 1 / total)
            index = 0
            while index < vectorEnd {
                store(load(values + index) * inverse, values + index)
                index += vectorWidth
            }
            while index < columns {
                values[index] /= total
                index += 1
            }
        }
    }

    /// ds (overwritten) from p and dp.
    public static func backward(
        p: UnsafePointer<Float>, dp: UnsafePointer<Float>, ds: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int,
        scale: Float
    ) {
        let vectorEnd = columns / vectorWidth * vectorWidth
        for row in 0..<rows {
            let probabilities = p + row * stride
            let gradients = dp + row * stride
            let output = ds + row * stride
            var dotVector = Vector()
            var index = 0
            while index < vectorEnd {
                dotVector = dotVector.addingProduct(load(probabilities + index), load(gradients + index))
                index += vectorWidth
            }
            var dot = horizontalSum(dotVector)
            while index < columns {
                dot += probabilities[index] * gradients[index]
                index += 1
            }
            let dotVectorAll = Vector(repeating: dot)
            let scaleVector = Vector(repeating: scale)
            index = 0
            while index < vectorEnd {
                store(scaleVector * load(probabilities + index) * (load(gradients + index) - dotVectorAll), output + index)
                index += vectorWidth
            }
            while index < columns {
                output[index] = scale * probabilities[index] * (gradients[index] - dot)
                index += 1
            }
        }
    }
}
