extension BertEncoder {
    /// One post-LN transformer layer: self-attention, residual, LayerNorm, GELU FFN, residual,
    /// LayerNorm.
    func layerForward(
        _ index: Int, input x: UnsafeMutablePointer<S>, output: UnsafeMutablePointer<S>, store a: LayerActivations<S>, batch: TokenBatch
    ) {
        let n = batch.tokenCount
        let c = config.hidden
        let f = config.intermediate
        let p = layout.layers[index]
        let w = parameters.pointer
        // Training keeps what backward needs (the probabilities, GELU's input); inference does not.
        let training = activations?.keepsAll ?? false
        linear(x, weight: w + p.query, bias: w + p.queryBias, out: a.query.pointer, rows: n, inputs: c, outputs: c)
        linear(x, weight: w + p.key, bias: w + p.keyBias, out: a.key.pointer, rows: n, inputs: c, outputs: c)
        linear(x, weight: w + p.value, bias: w + p.valueBias, out: a.value.pointer, rows: n, inputs: c, outputs: c)
        attentionForward(a, batch: batch, keepProbabilities: training)
        linear(
            a.context.pointer, weight: w + p.attentionOutput, bias: w + p.attentionOutputBias, out: a.residual1.pointer, rows: n, inputs: c,
            outputs: c, residual: x)
        layerNorm(
            a.residual1.pointer, gamma: w + p.attentionNormWeight, beta: w + p.attentionNormBias, y: a.normed1.pointer,
            mean: a.mean1.pointer, rstd: a.rstd1.pointer, rows: n, columns: c)
        linear(
            a.normed1.pointer, weight: w + p.intermediate, bias: w + p.intermediateBias, out: a.preActivation.pointer, rows: n, inputs: c,
            outputs: f, gelu: !training)
        if training { gelu(a.preActivation.pointer, a.activated.pointer, rows: n, columns: f) }
        let activated = training ? a.activated.pointer : a.preActivation.pointer
        linear(
            activated, weight: w + p.output, bias: w + p.outputBias, out: a.residual2.pointer, rows: n, inputs: f, outputs: c,
            residual: a.normed1.pointer)
        layerNorm(
            a.residual2.pointer, gamma: w + p.outputNormWeight, beta: w + p.outputNormBias, y: output,
            mean: a.mean2.pointer, rstd: a.rstd2.pointer, rows: n, columns: c)
    }

    /// Backward through one layer: reads the gradient w.r.t. its output from `buffers.hidden`
    /// and leaves there the gradient w.r.t. its input; adds weight gradients.
    func layerBackward(
        _ index: Int, input x: UnsafePointer<S>, store a: LayerActivations<S>, buffers: BackwardBuffers<S>, batch: TokenBatch
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
        dh.update(from: dr, count: n * c)
        linearBackward(
            dOut: buffers.query.pointer, input: x, weight: w + p.query, dWeight: g + p.query, dBias: g + p.queryBias, dInput: dh,
            accumulateInput: true, rows: n, inputs: c, outputs: c)
        linearBackward(
            dOut: buffers.key.pointer, input: x, weight: w + p.key, dWeight: g + p.key, dBias: g + p.keyBias, dInput: dh,
            accumulateInput: true, rows: n, inputs: c, outputs: c)
        linearBackward(
            dOut: buffers.value.pointer, input: x, weight: w + p.value, dWeight: g + p.value, dBias: g + p.valueBias, dInput: dh,
            accumulateInput: true, rows: n, inputs: c, outputs: c)
    }
}
