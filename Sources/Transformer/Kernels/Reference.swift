import Foundation

/// Plain reference versions of every kernel, generic so they run in Double for gradient checks
/// and in Float to test the fast kernels against. Clarity over speed: no blocking, no SIMD.
public enum Reference {
    /// C = op(A)·op(B) (+ C), same contract as `Gemm.multiply`.
    public static func gemm<S: BinaryFloatingPoint>(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<S>, lda: Int, b: UnsafePointer<S>, ldb: Int,
        c: UnsafeMutablePointer<S>, ldc: Int, accumulate: Bool
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var sum: S = 0
                for p in 0..<k {
                    let x = transposeA ? a[p * lda + i] : a[i * lda + p]
                    let y = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                    sum += x * y
                }
                c[i * ldc + j] = (accumulate ? c[i * ldc + j] : 0) + sum
            }
        }
    }
}

extension Reference {
    public static func layerNormForward<S: BinaryFloatingPoint>(
        _ x: UnsafePointer<S>, gamma: UnsafePointer<S>, beta: UnsafePointer<S>, y: UnsafeMutablePointer<S>,
        mean: UnsafeMutablePointer<S>, rstd: UnsafeMutablePointer<S>, rows: Int, columns: Int, epsilon: S
    ) {
        for row in 0..<rows {
            let input = x + row * columns
            var mu: S = 0
            for j in 0..<columns { mu += input[j] }
            mu /= S(columns)
            var variance: S = 0
            for j in 0..<columns { variance += (input[j] - mu) * (input[j] - mu) }
            variance /= S(columns)
            let inverse = 1 / (variance + epsilon).squareRoot()
            mean[row] = mu
            rstd[row] = inverse
            for j in 0..<columns { y[row * columns + j] = (input[j] - mu) * inverse * gamma[j] + beta[j] }
        }
    }

    public static func layerNormBackward<S: BinaryFloatingPoint>(
        dy: UnsafePointer<S>, x: UnsafePointer<S>, gamma: UnsafePointer<S>, mean: UnsafePointer<S>, rstd: UnsafePointer<S>,
        dx: UnsafeMutablePointer<S>, dgamma: UnsafeMutablePointer<S>, dbeta: UnsafeMutablePointer<S>, rows: Int, columns: Int
    ) {
        for row in 0..<rows {
            var meanG: S = 0
            var meanGX: S = 0
            for j in 0..<columns {
                let normalized = (x[row * columns + j] - mean[row]) * rstd[row]
                let g = dy[row * columns + j] * gamma[j]
                meanG += g
                meanGX += g * normalized
                dgamma[j] += dy[row * columns + j] * normalized
                dbeta[j] += dy[row * columns + j]
            }
            meanG /= S(columns)
            meanGX /= S(columns)
            for j in 0..<columns {
                let normalized = (x[row * columns + j] - mean[row]) * rstd[row]
                let g = dy[row * columns + j] * gamma[j]
                dx[row * columns + j] = (g - meanG - normalized * meanGX) * rstd[row]
            }
        }
    }

    public static func addColumnSums<S: BinaryFloatingPoint>(
        _ x: UnsafePointer<S>, rows: Int, columns: Int, to sums: UnsafeMutablePointer<S>
    ) {
        for row in 0..<rows {
            for j in 0..<columns { sums[j] += x[row * columns + j] }
        }
    }

    public static func geluForward<S: BinaryFloatingPoint>(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, count: Int) {
        for i in 0..<count {
            let v = Double(x[i])
            y[i] = S(0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot())))
        }
    }

    public static func geluBackward<S: BinaryFloatingPoint>(
        _ x: UnsafePointer<S>, dy: UnsafePointer<S>, dx: UnsafeMutablePointer<S>, count: Int
    ) {
        for i in 0..<count {
            let v = Double(x[i])
            let cdf = 0.5 * (1 + Foundation.erf(v / 2.0.squareRoot()))
            let pdf = Foundation.exp(-0.5 * v * v) / (2 * Double.pi).squareRoot()
            dx[i] = dy[i] * S(cdf + v * pdf)
        }
    }

    public static func softmaxForward<S: BinaryFloatingPoint>(_ s: UnsafeMutablePointer<S>, rows: Int, columns: Int, stride: Int, scale: S)
    {
        for row in 0..<rows {
            let values = s + row * stride
            var largest = -S.infinity
            for j in 0..<columns { largest = max(largest, values[j] * scale) }
            var total: S = 0
            for j in 0..<columns {
                values[j] = S(Foundation.exp(Double(values[j] * scale - largest)))
                total += values[j]
            }
            for j in 0..<columns { values[j] /= total }
        }
    }

    public static func softmaxBackward<S: BinaryFloatingPoint>(
        p: UnsafePointer<S>, dp: UnsafePointer<S>, ds: UnsafeMutablePointer<S>, rows: Int, columns: Int, stride: Int, scale: S
    ) {
        for row in 0..<rows {
            var dot: S = 0
            for j in 0..<columns { dot += p[row * stride + j] * dp[row * stride + j] }
            for j in 0..<columns { ds[row * stride + j] = scale * p[row * stride + j] * (dp[row * stride + j] - dot) }
        }
    }
}

extension Reference {
    /// One attention head, plainly: P = softmax(scale · Q·Kᵀ) (in `probabilities`, L×L),
    /// context = P·V; Q, K, V and context rows at stride `stride`. The same contract as
    /// `AttentionKernel.forward` with the probabilities kept.
    public static func attentionHeadForward<S: BinaryFloatingPoint>(
        query: UnsafePointer<S>, key: UnsafePointer<S>, value: UnsafePointer<S>, context: UnsafeMutablePointer<S>, stride: Int,
        length: Int, headSize: Int, scale: S, probabilities: UnsafeMutablePointer<S>
    ) {
        gemm(
            transposeA: false, transposeB: true, m: length, n: length, k: headSize, a: query, lda: stride, b: key, ldb: stride,
            c: probabilities, ldc: length, accumulate: false)
        softmaxForward(probabilities, rows: length, columns: length, stride: length, scale: scale)
        gemm(
            transposeA: false, transposeB: false, m: length, n: headSize, k: length, a: probabilities, lda: length, b: value, ldb: stride,
            c: context, ldc: stride, accumulate: false)
    }
}

extension Reference {
    /// One AdamW step of parameter `index` (the moments updated in place); `weightDecay` nil
    /// when the parameter is not decayed.
    public static func adamWUpdate(
        _ index: Int, p: UnsafeMutablePointer<Float>, g: UnsafePointer<Float>, m: UnsafeMutablePointer<Float>,
        v: UnsafeMutablePointer<Float>, beta1: Float, beta2: Float, epsilon: Float, correction1: Float, correction2: Float,
        learningRate: Float, weightDecay: Float?
    ) {
        let gradient = g[index]
        m[index] = beta1 * m[index] + (1 - beta1) * gradient
        v[index] = beta2 * v[index] + (1 - beta2) * gradient * gradient
        let update = (m[index] / correction1) / ((v[index] / correction2).squareRoot() + epsilon)
        let decayTerm = weightDecay.map { $0 * p[index] } ?? 0
        p[index] -= learningRate * (update + decayTerm)
    }
}
