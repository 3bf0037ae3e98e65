/// The number type an encoder computes in. The encoder's code is written once over this
/// protocol; `Float` runs the fast SIMD kernels, `Double` the plain reference kernels, so the
/// whole model can be gradient-checked by finite differences in Double and the Float model
/// compared against it.
public protocol EncoderScalar: BinaryFloatingPoint, Sendable {
    static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
        c: UnsafeMutablePointer<Self>, ldc: Int, accumulate: Bool, threads: Int)
    static func layerNormForward(
        _ x: UnsafePointer<Self>, gamma: UnsafePointer<Self>, beta: UnsafePointer<Self>, y: UnsafeMutablePointer<Self>,
        mean: UnsafeMutablePointer<Self>, rstd: UnsafeMutablePointer<Self>, rows: Int, columns: Int, epsilon: Self)
    static func layerNormBackward(
        dy: UnsafePointer<Self>, x: UnsafePointer<Self>, gamma: UnsafePointer<Self>, mean: UnsafePointer<Self>, rstd: UnsafePointer<Self>,
        dx: UnsafeMutablePointer<Self>, dgamma: UnsafeMutablePointer<Self>, dbeta: UnsafeMutablePointer<Self>, rows: Int, columns: Int)
    /// sums[j] += Σ_rows x[row, j] (a dense layer's bias gradient).
    static func addColumnSums(_ x: UnsafePointer<Self>, rows: Int, columns: Int, to sums: UnsafeMutablePointer<Self>)
    static func geluForward(_ x: UnsafePointer<Self>, _ y: UnsafeMutablePointer<Self>, count: Int)
    static func geluBackward(_ x: UnsafePointer<Self>, dy: UnsafePointer<Self>, dx: UnsafeMutablePointer<Self>, count: Int)
    static func softmaxForward(_ s: UnsafeMutablePointer<Self>, rows: Int, columns: Int, stride: Int, scale: Self)
    static func softmaxBackward(
        p: UnsafePointer<Self>, dp: UnsafePointer<Self>, ds: UnsafeMutablePointer<Self>, rows: Int, columns: Int, stride: Int, scale: Self)
    /// One head of one sequence: context = softmax(scale · Q·Kᵀ) · V, the L×L probabilities
    /// kept in `probabilities` when given; `scratch` holds
    /// `AttentionKernel.scratchCount(length:headSize:)` values.
    static func attentionHeadForward(
        query: UnsafePointer<Self>, key: UnsafePointer<Self>, value: UnsafePointer<Self>, context: UnsafeMutablePointer<Self>,
        stride: Int, length: Int, headSize: Int, scale: Self, probabilities: UnsafeMutablePointer<Self>?,
        scratch: UnsafeMutablePointer<Self>)
}

extension Float: EncoderScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int
    ) {
        Gemm.multiply(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
            accumulate: accumulate, threads: threads)
    }
    public static func layerNormForward(
        _ x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, beta: UnsafePointer<Float>, y: UnsafeMutablePointer<Float>,
        mean: UnsafeMutablePointer<Float>, rstd: UnsafeMutablePointer<Float>, rows: Int, columns: Int, epsilon: Float
    ) {
        LayerNorm.forward(x, gamma: gamma, beta: beta, y: y, mean: mean, rstd: rstd, rows: rows, columns: columns, epsilon: epsilon)
    }
    public static func layerNormBackward(
        dy: UnsafePointer<Float>, x: UnsafePointer<Float>, gamma: UnsafePointer<Float>, mean: UnsafePointer<Float>,
        rstd: UnsafePointer<Float>,
        dx: UnsafeMutablePointer<Float>, dgamma: UnsafeMutablePointer<Float>, dbeta: UnsafeMutablePointer<Float>, rows: Int, columns: Int
    ) {
        LayerNorm.backward(
            dy: dy, x: x, gamma: gamma, mean: mean, rstd: rstd, dx: dx, dgamma: dgamma, dbeta: dbeta, rows: rows, columns: columns)
    }
    public static func addColumnSums(_ x: UnsafePointer<Float>, rows: Int, columns: Int, to sums: UnsafeMutablePointer<Float>) {
        ColumnSums.add(x, rows: rows, columns: columns, to: sums)
    }
    public static func geluForward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        GELU.forward(x, y, count: count)
    }
    public static func geluBackward(_ x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        GELU.backward(x, dy: dy, dx: dx, count: count)
    }
    public static func softmaxForward(_ s: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int, scale: Float) {
        Softmax.forward(s, rows: rows, columns: columns, stride: stride, scale: scale)
    }
    public static func softmaxBackward(
        p: UnsafePointer<Float>, dp: UnsafePointer<Float>, ds: UnsafeMutablePointer<Float>, rows: Int, columns: Int, stride: Int,
        scale: Float
    ) {
        Softmax.backward(p: p, dp: dp, ds: ds, rows: rows, columns: columns, stride: stride, scale: scale)
    }
    public static func attentionHeadForward(
        query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>,
        stride: Int, length: Int, headSize: Int, scale: Float, probabilities: UnsafeMutablePointer<Float>?,
        scratch: UnsafeMutablePointer<Float>
    ) {
        AttentionKernel.forward(
            query: query, key: key, value: value, context: context, stride: stride, length: length, headSize: headSize, scale: scale,
            probabilities: probabilities, scratch: scratch)
    }
}

extension Double: EncoderScalar {
    public static func gemm(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
        c: UnsafeMutablePointer<Double>, ldc: Int, accumulate: Bool, threads: Int
    ) {
        Reference.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
            accumulate: accumulate)
    }
    public static func layerNormForward(
        _ x: UnsafePointer<Double>, gamma: UnsafePointer<Double>, beta: UnsafePointer<Double>, y: UnsafeMutablePointer<Double>,
        mean: UnsafeMutablePointer<Double>, rstd: UnsafeMutablePointer<Double>, rows: Int, columns: Int, epsilon: Double
    ) {
        Reference.layerNormForward(
            x, gamma: gamma, beta: beta, y: y, mean: mean, rstd: rstd, rows: rows, columns: columns, epsilon: epsilon)
    }
    public static func layerNormBackward(
        dy: UnsafePointer<Double>, x: UnsafePointer<Double>, gamma: UnsafePointer<Double>, mean: UnsafePointer<Double>,
        rstd: UnsafePointer<Double>, dx: UnsafeMutablePointer<Double>, dgamma: UnsafeMutablePointer<Double>,
        dbeta: UnsafeMutablePointer<Double>, rows: Int, columns: Int
    ) {
        Reference.layerNormBackward(
            dy: dy, x: x, gamma: gamma, mean: mean, rstd: rstd, dx: dx, dgamma: dgamma, dbeta: dbeta, rows: rows, columns: columns)
    }
    public static func addColumnSums(_ x: UnsafePointer<Double>, rows: Int, columns: Int, to sums: UnsafeMutablePointer<Double>) {
        Reference.addColumnSums(x, rows: rows, columns: columns, to: sums)
    }
    public static func geluForward(_ x: UnsafePointer<Double>, _ y: UnsafeMutablePointer<Double>, count: Int) {
        Reference.geluForward(x, y, count: count)
    }
    public static func geluBackward(_ x: UnsafePointer<Double>, dy: UnsafePointer<Double>, dx: UnsafeMutablePointer<Double>, count: Int) {
        Reference.geluBackward(x, dy: dy, dx: dx, count: count)
    }
    public static func softmaxForward(_ s: UnsafeMutablePointer<Double>, rows: Int, columns: Int, stride: Int, scale: Double) {
        Reference.softmaxForward(s, rows: rows, columns: columns, stride: stride, scale: scale)
    }
    public static func softmaxBackward(
        p: UnsafePointer<Double>, dp: UnsafePointer<Double>, ds: UnsafeMutablePointer<Double>, rows: Int, columns: Int, stride: Int,
        scale: Double
    ) {
        Reference.softmaxBackward(p: p, dp: dp, ds: ds, rows: rows, columns: columns, stride: stride, scale: scale)
    }
    public static func attentionHeadForward(
        query: UnsafePointer<Double>, key: UnsafePointer<Double>, value: UnsafePointer<Double>, context: UnsafeMutablePointer<Double>,
        stride: Int, length: Int, headSize: Int, scale: Double, probabilities: UnsafeMutablePointer<Double>?,
        scratch: UnsafeMutablePointer<Double>
    ) {
        Reference.attentionHeadForward(
            query: query, key: key, value: value, context: context, stride: stride, length: length, headSize: headSize, scale: scale,
            probabilities: probabilities ?? scratch)
    }
}
