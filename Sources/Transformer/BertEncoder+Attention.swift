import Dispatch

/// Multi-head self-attention within each sequence of the packed batch, forward and backward.
extension BertEncoder {
    /// Per sequence and head: P = softmax(Q·Kᵀ/√D), context = P·V, one head in one kernel call
    /// (`AttentionKernel`); P is kept for backward only when training.
    func attentionForward(_ a: LayerActivations<S>, batch: TokenBatch, keepProbabilities: Bool) {
        let split = AttentionHeads(config: config, batch: batch, probabilityOffsets: a.probabilityOffsets, threads: threads)
        let (c, d, scale): (Int, Int, S) = (split.hidden, split.headSize, split.scale())
        let pointers = AttentionPointers(
            query: a.query.pointer, key: a.key.pointer, value: a.value.pointer, context: a.context.pointer,
            probabilities: a.probabilities.pointer)
        let scratchCount = AttentionKernel.scratchCount(length: batch.maxLength, headSize: d)
        attentionScratch.resize(split.workers * scratchCount)
        let scratch = SendableMutablePointer(attentionScratch.pointer)
        Parallel.perform(iterations: split.workers) { worker in
            let myScratch = scratch.pointer + worker * scratchCount
            for item in stride(from: worker, to: split.items, by: split.workers) {
                let (base, length, offset) = split.slice(item)
                S.attentionHeadForward(
                    query: pointers.query + base, key: pointers.key + base, value: pointers.value + base, context: pointers.context + base,
                    stride: c, length: length, headSize: d, scale: scale,
                    probabilities: keepProbabilities ? pointers.probabilities + offset : nil, scratch: myScratch)
            }
        }
    }

    /// From d(context): dP = dC·Vᵀ, dV = Pᵀ·dC, dS = softmax'(dP), dQ = dS·K, dK = dSᵀ·Q (scaled).
    func attentionBackward(_ a: LayerActivations<S>, buffers: BackwardBuffers<S>, batch: TokenBatch) {
        let split = AttentionHeads(config: config, batch: batch, probabilityOffsets: a.probabilityOffsets, threads: threads)
        let (c, d, scale): (Int, Int, S) = (split.hidden, split.headSize, split.scale())
        let maxSquare = batch.maxLength * batch.maxLength
        let forward = AttentionPointers(
            query: a.query.pointer, key: a.key.pointer, value: a.value.pointer, context: buffers.context.pointer,
            probabilities: a.probabilities.pointer)
        let backward = AttentionPointers(
            query: buffers.query.pointer, key: buffers.key.pointer, value: buffers.value.pointer, context: buffers.scores.pointer,
            probabilities: a.probabilities.pointer)
        Parallel.perform(iterations: split.workers) { worker in
            let dP = backward.context + worker * 2 * maxSquare
            let dS = dP + maxSquare
            for item in stride(from: worker, to: split.items, by: split.workers) {
                let (base, length, offset) = split.slice(item)
                let probabilities = forward.probabilities + offset
                let dContext = forward.context + base
                S.gemm(
                    transposeA: false, transposeB: true, m: length, n: length, k: d, a: dContext, lda: c, b: forward.value + base, ldb: c,
                    c: dP, ldc: length, accumulate: false, threads: 1)
                S.gemm(
                    transposeA: true, transposeB: false, m: length, n: d, k: length, a: probabilities, lda: length, b: dContext, ldb: c,
                    c: backward.value + base, ldc: c, accumulate: false, threads: 1)
                S.softmaxBackward(p: probabilities, dp: dP, ds: dS, rows: length, columns: length, stride: length, scale: scale)
                S.gemm(
                    transposeA: false, transposeB: false, m: length, n: d, k: length, a: dS, lda: length, b: forward.key + base, ldb: c,
                    c: backward.query + base, ldc: c, accumulate: false, threads: 1)
                S.gemm(
                    transposeA: true, transposeB: false, m: length, n: d, k: length, a: dS, lda: length, b: forward.query + base, ldb: c,
                    c: backward.key + base, ldc: c, accumulate: false, threads: 1)
            }
        }
    }
}
