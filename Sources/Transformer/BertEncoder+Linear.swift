/// Dense layers: out = x · Wᵀ + b, with their backward.
extension BertEncoder {
    /// out[rows×outputs] = x[rows×inputs] · weightᵀ + bias (weight is outputs×inputs, as BERT's).
    func linear(
        _ x: UnsafePointer<S>, weight: UnsafePointer<S>, bias: UnsafePointer<S>, out: UnsafeMutablePointer<S>, rows: Int, inputs: Int,
        outputs: Int
    ) {
        fillRows(out, with: bias, rows: rows, columns: outputs)
        if usesPackedWeights {
            // Float here (`forward` checks): the same memory, seen as Float.
            let offset = weight - UnsafePointer(parameters.pointer)
            if packedWeights[offset] == nil {
                packedWeights[offset] = PackedMatrix(
                    transposed: true, UnsafeRawPointer(weight).assumingMemoryBound(to: Float.self), ldb: inputs, k: inputs, n: outputs)
            }
            let packed = packedWeights[offset]!
            Gemm.multiply(
                transposeA: false, m: rows, a: UnsafeRawPointer(x).assumingMemoryBound(to: Float.self), lda: inputs, packed: packed,
                c: UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self), ldc: outputs, accumulate: true, threads: threads)
            return
        }
        S.gemm(
            transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: weight, ldb: inputs, c: out,
            ldc: outputs, accumulate: true, threads: threads)
    }

    /// For out = input · Wᵀ + b: dW += dOutᵀ · input, db += Σ_rows dOut, dInput (+)= dOut · W.
    func linearBackward(
        dOut: UnsafePointer<S>, input: UnsafePointer<S>, weight: UnsafePointer<S>, dWeight: UnsafeMutablePointer<S>,
        dBias: UnsafeMutablePointer<S>,
        dInput: UnsafeMutablePointer<S>, accumulateInput: Bool, rows: Int, inputs: Int, outputs: Int
    ) {
        S.gemm(
            transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows, a: dOut, lda: outputs, b: input, ldb: inputs, c: dWeight,
            ldc: inputs, accumulate: true, threads: threads)
        for row in 0..<rows {
            for j in 0..<outputs { dBias[j] += dOut[row * outputs + j] }
        }
        S.gemm(
            transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs, a: dOut, lda: outputs, b: weight, ldb: inputs, c: dInput,
            ldc: inputs, accumulate: accumulateInput, threads: threads)
    }

}
