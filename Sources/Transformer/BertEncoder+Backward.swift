import Dispatch

/// The encoder's backward pass, in the reverse order of `BertEncoder+Forward`: from the
/// gradient of the sentence embeddings through the mean pool, each layer from the last (its
/// dense layers `linearBackward`, attention), down to the embedding tables.
extension BertEncoder {
    /// Adds to `gradients` the gradient of a loss, given the loss's gradient with respect to
    /// the embeddings the last `forward(keepActivations: true)` returned (B×C). After a pass
    /// that started at a layer above the first, only that layer and the ones above it get
    /// gradients.
    @_specialize(where S == Float)
    public func backward(outputGradient: UnsafePointer<S>) throws {
        guard let activations, activations.keepsAll, let batch else {
            throw EncoderError.invalidInput("backward needs a forward pass with keepActivations: true first")
        }
        let buffers = backwardBuffers ?? BackwardBuffers<S>()
        backwardBuffers = buffers
        let workers = max(1, min(threads, batch.sequenceCount * config.heads))
        buffers.resize(config: config, batch: batch, workers: workers)
        let c = config.hidden
        let rows = batch.sequenceCount
        let g = gradients.pointer
        let w = parameters.pointer

        // Normalization and pooling.
        let dPooled = buffers.pooled.pointer
        if normalizedOutput {
            RowNormalization.backward(
                y: activations.embeddings.pointer, norms: activations.norms.pointer, dy: outputGradient, dx: dPooled, rows: rows, columns: c
            )
        } else {
            dPooled.update(from: outputGradient, count: rows * c)
        }
        let dh = buffers.hidden.pointer
        meanPoolBackward(dPooled, batch: batch, into: dh)

        for layer in stride(from: config.layers - 1, through: firstForwardLayer, by: -1) {
            // Nothing reads the gradient below the first layer of a pass from `hiddenStates`.
            layerBackward(
                layer, input: activations.hidden[layer].pointer, store: activations.layers[layer], buffers: buffers, batch: batch,
                inputGradient: layer > firstForwardLayer || firstForwardLayer == 0)
        }
        // A pass from `hiddenStates` ends here: the layers below and the embeddings were not run.
        if firstForwardLayer > 0 { return }

        // Embedding LayerNorm (none in a static encoder), then scatter into the embedding tables.
        if config.isStatic {
            embeddingBackward(dh, batch: batch)
            return
        }
        let n = batch.tokenCount
        let dE = buffers.residual.pointer
        S.layerNormBackward(
            dy: dh, x: activations.embeddingSum.pointer, gamma: w + layout.embeddingNormWeight, mean: activations.embeddingMean.pointer,
            rstd: activations.embeddingRstd.pointer, dx: dE, dgamma: g + layout.embeddingNormWeight, dbeta: g + layout.embeddingNormBias,
            rows: n, columns: c)
        embeddingBackward(dE, batch: batch)
    }

    /// dh[t] = dPooled[s] / length(s) for every token t of sequence s (overwrites dh).
    func meanPoolBackward(_ dPooled: UnsafePointer<S>, batch: TokenBatch, into dh: UnsafeMutablePointer<S>) {
        let c = config.hidden
        for sequence in 0..<batch.sequenceCount {
            let inverse = 1 / S(batch.length(sequence))
            for t in batch.starts[sequence]..<batch.starts[sequence + 1] {
                for j in 0..<c { dh[t * c + j] = dPooled[sequence * c + j] * inverse }
            }
        }
    }

    /// Backward through one layer: reads the gradient w.r.t. its output from `buffers.hidden`
    /// and, with `inputGradient`, leaves there the gradient w.r.t. its input; adds weight
    /// gradients. Without it, the three products that carry the gradient down (an eighth of a
    /// layer's backward work) are skipped.
    func layerBackward(
        _ index: Int, input x: UnsafePointer<S>, store a: LayerActivations<S>, buffers: BackwardBuffers<S>, batch: TokenBatch,
        inputGradient: Bool = true
    ) {
        let n = batch.tokenCount
        let c = config.hidden
        let f = config.intermediate
        let p = layout.layers[index]
        let w = parameters.pointer
        let g = gradients.pointer
        let dh = buffers.hidden.pointer
        let dr = buffers.residual.pointer
        let dNormed = buffers.normed.pointer

        // output LayerNorm: r2 = FFN(normed1) + normed1
        S.layerNormBackward(
            dy: dh, x: a.residual2.pointer, gamma: w + p.outputNormWeight, mean: a.mean2.pointer, rstd: a.rstd2.pointer, dx: dr,
            dgamma: g + p.outputNormWeight, dbeta: g + p.outputNormBias, rows: n, columns: c)
        // output dense: r2 = activated · W2ᵀ + b2
        linearBackward(
            dOut: dr, input: a.activated.pointer, weight: w + p.output, dWeight: g + p.output, dBias: g + p.outputBias,
            dInput: buffers.activated.pointer, accumulateInput: false, rows: n, inputs: f, outputs: c)
        S.geluBackward(a.preActivation.pointer, dy: buffers.activated.pointer, dx: buffers.preActivation.pointer, count: n * f)
        // intermediate dense: pre = normed1 · W1ᵀ + b1; normed1 also feeds the residual
        dNormed.update(from: dr, count: n * c)
        linearBackward(
            dOut: buffers.preActivation.pointer, input: a.normed1.pointer, weight: w + p.intermediate, dWeight: g + p.intermediate,
            dBias: g + p.intermediateBias, dInput: dNormed, accumulateInput: true, rows: n, inputs: c, outputs: f)
        // attention LayerNorm: r1 = attention(x) · Woᵀ + bo + x
        S.layerNormBackward(
            dy: dNormed, x: a.residual1.pointer, gamma: w + p.attentionNormWeight, mean: a.mean1.pointer, rstd: a.rstd1.pointer, dx: dr,
            dgamma: g + p.attentionNormWeight, dbeta: g + p.attentionNormBias, rows: n, columns: c)
        linearBackward(
            dOut: dr, input: a.context.pointer, weight: w + p.attentionOutput, dWeight: g + p.attentionOutput,
            dBias: g + p.attentionOutputBias,
            dInput: buffers.context.pointer, accumulateInput: false, rows: n, inputs: c, outputs: c)
        attentionBackward(a, buffers: buffers, batch: batch)
        // the residual, then the three projections of x
        let dx = inputGradient ? dh : nil
        dx?.update(from: dr, count: n * c)
        linearBackward(
            dOut: buffers.query.pointer, input: x, weight: w + p.query, dWeight: g + p.query, dBias: g + p.queryBias, dInput: dx,
            accumulateInput: true, rows: n, inputs: c, outputs: c)
        linearBackward(
            dOut: buffers.key.pointer, input: x, weight: w + p.key, dWeight: g + p.key, dBias: g + p.keyBias, dInput: dx,
            accumulateInput: true, rows: n, inputs: c, outputs: c)
        linearBackward(
            dOut: buffers.value.pointer, input: x, weight: w + p.value, dWeight: g + p.value, dBias: g + p.valueBias, dInput: dx,
            accumulateInput: true, rows: n, inputs: c, outputs: c)
    }

    /// For out = input · Wᵀ + b: dW += dOutᵀ · input, db += Σ_rows dOut, dInput (+)= dOut · W
    /// (skipped when `dInput` is nil).
    func linearBackward(
        dOut: UnsafePointer<S>, input: UnsafePointer<S>, weight: UnsafePointer<S>, dWeight: UnsafeMutablePointer<S>,
        dBias: UnsafeMutablePointer<S>,
        dInput: UnsafeMutablePointer<S>?, accumulateInput: Bool, rows: Int, inputs: Int, outputs: Int
    ) {
        S.gemm(
            transposeA: true, transposeB: false, m: outputs, n: inputs, k: rows, a: dOut, lda: outputs, b: input, ldb: inputs, c: dWeight,
            ldc: inputs, accumulate: true, threads: threads)
        S.addColumnSums(dOut, rows: rows, columns: outputs, to: dBias)
        guard let dInput else { return }
        S.gemm(
            transposeA: false, transposeB: false, m: rows, n: inputs, k: outputs, a: dOut, lda: outputs, b: weight, ldb: inputs, c: dInput,
            ldc: inputs, accumulate: accumulateInput, threads: threads)
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

    /// Adds each token's gradient dE[t] (N×C, after the embedding LayerNorm's backward) to the
    /// rows of its word, position and type embeddings.
    func embeddingBackward(_ dE: UnsafePointer<S>, batch: TokenBatch) {
        let c = config.hidden
        let g = gradients.pointer
        for sequence in 0..<batch.sequenceCount {
            for t in batch.starts[sequence]..<batch.starts[sequence + 1] {
                let word = g + layout.wordEmbeddings + Int(batch.ids[t]) * c
                let position = g + layout.positionEmbeddings + (t - batch.starts[sequence]) * c
                let type = g + layout.typeEmbeddings
                for j in 0..<c {
                    word[j] += dE[t * c + j]
                    position[j] += dE[t * c + j]
                    type[j] += dE[t * c + j]
                }
            }
        }
    }
}
