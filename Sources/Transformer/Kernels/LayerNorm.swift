/// LayerNorm over the last dimension, forward and backward side by side.
///
/// Shapes (`ShapeLegend`):
///   x, y, dy, dx: R×C · gamma, beta, dgamma, dbeta: C · mean, rstd: R
/// y = (x − mean) · rstd · gamma + beta with rstd = 1/√(var + eps), var the biased variance.
public enum LayerNorm {
    public static func forward(
        _ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
        mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>, rows: Int, columns: Int, epsilon: Float
    ) {
        let vectorEnd = columns / vectorWidth * vectorWidth
        for row in 0..<rows {
            let input = x + row * columns
            var sum = Vector()
            var index = 0
            while index < vectorEnd {
                sum += load(input + index)
                index += vectorWidth
            }
            var total = horizontalSum(sum)
            while index < columns {
                total += input[index]
                index += 1
            }
            let mu = total / Float(columns)
            var squares = Vector()
            let muVector = Vector(repeating: mu)
            index = 0
            while index < vectorEnd {
                let centered = load(input + index) - muVector
                squares = squares.addingProduct(centered, centered)
                index += vectorWidth
            }
            var variance = horizontalSum(squares)
            while index < columns {
                let centered = input[index] - mu
                variance += centered * centered
                index += 1
            }
            let inverse = 1 / (variance / Float(columns) + epsilon).squareRoot()
            mean[row] = mu
            rstd[row] = inverse
            let output = y + row * columns
            let inverseVector = Vector(repeating: inverse)
            index = 0
            while index < vectorEnd {
                let normalized = (load(input + index) - muVector) * inverseVector
                store(normalized.addingProduct(normalized, load(gamma + index) - 1) + load(beta + index), output + index)
                index += vectorWidth
            }
            while index < columns {
                output[index] = (input[index] - mu) * inverse * gamma[index] + beta[index]
                index += 1
            }
        }
    }

    /// dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)) with g = dy · gamma, x̂ the normalized input;
    /// dgamma += Σ dy · x̂, dbeta += Σ dy. dx is overwritten, not accumulated.
    public static func backward(
        dy: UnsafePointer<Float>, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>,
        rstd: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>,
        dbeta: UnsafeMutablePointer<Float>, rows: Int, columns: Int
    ) {
        let vectorEnd = columns / vectorWidth * vectorWidth
        for row in 0..<rows {
            let input = x + row * columns
            let gradient = dy + row * columns
            let mu = Vector(repeating: mean[row])
            let inverse = Vector(repeating: rstd[row])
            var sumG = Vector()
            var sumGX = Vector()
            var index = 0
            while index < vectorEnd {
                let normalized = (load(input + index) - mu) * inverse
                let dyv = load(gradient + index)
                let g = dyv * load(gamma + index)
                sumG += g
                sumGX = sumGX.addingProduct(g, normalized)
                store(load(dgamma + index).addingProduct(dyv, normalized), dgamma + index)
                store(load(dbeta + index) + dyv, dbeta + index)
                index += vectorWidth
            }
            var meanG = horizontalSum(sumG)
            var meanGX = horizontalSum(sumGX)
            while index < columns {
                let normalized = (input[index] - mean[row]) * rstd[row]
                let g = gradient[index] * gamma[index]
                meanG += g
                meanGX += g * normalized
                dgamma[index] += gradient[index] * normalized
                dbeta[index] += gradient[index]
                index += 1
            }
            meanG /= Float(columns)
            meanGX /= Float(columns)
            let output = dx + row * columns
            let meanGVector = Vector(repeating: meanG)
            let meanGXVector = Vector(repeating: meanGX)
            index = 0
            while index < vectorEnd {
                let normalized = (load(input + index) - mu) * inverse
                let g = load(gradient + index) * load(gamma + index)
                store((g - meanGVector - normalized * meanGXVector) * inverse, output + index)
                index += vectorWidth
            }
            while index < columns {
                let normalized = (input[index] - mean[row]) * rstd[row]
                let g = gradient[index] * gamma[index]
                output[index] = (g - meanG - normalized * meanGX) * rstd[row]
                index += 1
            }
        }
    }
}
