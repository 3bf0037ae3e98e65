/// Self-attention of one head of one sequence in Float: P = softmax(scale · Q·Kᵀ),
/// context = P·V. One call does the whole head in per-worker scratch: Kᵀ zero-padded to whole
/// vectors, then the scores, the softmax and the context product, all narrow products
/// (`Gemm.multiplyNarrow`) without packing or scalar tails. Reference:
/// `Reference.attentionHeadForward`. Shapes (`ShapeLegend`): Q, K, V and context are L rows of
/// D values at row stride `stride` (the layer's C), P is L×L.
public enum AttentionKernel {
    /// Columns of the scores, L rounded up to whole vectors.
    static func paddedLength(_ length: Int) -> Int {
        let width = WideVector.scalarCount
        return (length + width - 1) / width * width
    }

    /// Floats of scratch one call needs: Kᵀ (D × L') and the scores (L × L').
    public static func scratchCount(length: Int, headSize: Int) -> Int {
        let padded = paddedLength(length)
        return headSize * padded + length * padded
    }

    /// context = softmax(scale · Q·Kᵀ) · V; the probabilities are also written to
    /// `probabilities` (L×L, for backward) when it is given.
    public static func forward(
        query: UnsafePointer<Float>, key: UnsafePointer<Float>, value: UnsafePointer<Float>, context: UnsafeMutablePointer<Float>,
        stride: Int, length: Int, headSize: Int, scale: Float, probabilities: UnsafeMutablePointer<Float>?,
        scratch: UnsafeMutablePointer<Float>
    ) {
        let (d, padded) = (headSize, paddedLength(length))
        let keyT = scratch
        let scores = scratch + d * padded
        for x in 0..<d {
            let row = keyT + x * padded
            for t in 0..<length { row[t] = key[t * stride + x] }
            for t in length..<padded { row[t] = 0 }
        }
        Gemm.multiplyNarrow(m: length, n: padded, k: d, a: query, lda: stride, b: keyT, ldb: padded, c: scores, ldc: padded)
        Softmax.forward(scores, rows: length, columns: length, stride: padded, scale: scale)
        if let probabilities {
            for i in 0..<length { (probabilities + i * length).update(from: scores + i * padded, count: length) }
        }
        if d % WideVector.scalarCount == 0 {
            Gemm.multiplyNarrow(m: length, n: d, k: length, a: scores, lda: padded, b: value, ldb: stride, c: context, ldc: stride)
        } else {
            Gemm.multiply(
                transposeA: false, transposeB: false, m: length, n: d, k: length, a: scores, lda: padded, b: value, ldb: stride, c: context,
                ldc: stride, accumulate: false, threads: 1)
        }
    }
}
