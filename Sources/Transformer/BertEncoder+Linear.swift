/// Dense layers: out = x · Wᵀ + b, with their backward.
extension BertEncoder {
    /// out[rows×outputs] = x[rows×inputs] · weightᵀ + bias (+ residual[rows×outputs]) (weight
    /// is outputs×inputs, as BERT's). With `gelu`, GELU is then applied in place. At inference
    /// the bias, residual and GELU ride in the product's epilogue (`GemmEpilogue`, the same bits
    /// as the separate passes); in training, and in Double, they are separate passes.
    func linear(
        _ x: UnsafePointer<S>, weight: UnsafePointer<S>, bias: UnsafePointer<S>, out: UnsafeMutablePointer<S>, rows: Int, inputs: Int,
        outputs: Int, residual: UnsafePointer<S>? = nil, gelu: Bool = false
    ) {
        if usesPackedWeights {
            // Float here (`forward` checks): the same memory, seen as Float.
            func float(_ pointer: UnsafePointer<S>) -> UnsafePointer<Float> {
                UnsafeRawPointer(pointer).assumingMemoryBound(to: Float.self)
            }
            let epilogue = GemmEpilogue(bias: float(bias), residual: residual.map(float), residualStride: outputs, gelu: gelu)
            Gemm.multiply(
                transposeA: false, m: rows, a: float(x), lda: inputs, packed: packedWeight(weight, inputs: inputs, outputs: outputs),
                c: UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self), ldc: outputs, accumulate: false, epilogue: epilogue,
                threads: threads)
            return
        }
        fillRows(out, with: bias, rows: rows, columns: outputs)
        S.gemm(
            transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: weight, ldb: inputs, c: out,
            ldc: outputs, accumulate: true, threads: threads)
        if let residual { add(residual, into: out, rows: rows, columns: outputs) }
        if gelu { self.gelu(out, out, rows: rows, columns: outputs) }
    }

    /// The weight (outputs×inputs) packed for inference, packed on first use.
    func packedWeight(_ weight: UnsafePointer<S>, inputs: Int, outputs: Int) -> PackedMatrix {
        let offset = weight - UnsafePointer(parameters.pointer)
        if let packed = packedWeights[offset] { return packed }
        let packed = PackedMatrix(
            transposed: true, UnsafeRawPointer(weight).assumingMemoryBound(to: Float.self), ldb: inputs, k: inputs, n: outputs)
        packedWeights[offset] = packed
        return packed
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
