import Dispatch

extension BertEncoder {
    /// Adds to `gradients` the gradient of a loss, given the loss's gradient with respect to
    /// the embeddings the last `forward(keepActivations: true)` returned (B×C).
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

        for layer in stride(from: config.layers - 1, through: 0, by: -1) {
            layerBackward(layer, input: activations.hidden[layer].pointer, store: activations.layers[layer], buffers: buffers, batch: batch)
        }

        // Embedding LayerNorm, then scatter into the embedding tables.
        let n = batch.tokenCount
        let dE = buffers.residual.pointer
        S.layerNormBackward(
            dy: dh, x: activations.embeddingSum.pointer, gamma: w + layout.embeddingNormWeight, mean: activations.embeddingMean.pointer,
            rstd: activations.embeddingRstd.pointer, dx: dE, dgamma: g + layout.embeddingNormWeight, dbeta: g + layout.embeddingNormBias,
            rows: n, columns: c)
        embeddingBackward(dE, batch: batch)
    }
}
