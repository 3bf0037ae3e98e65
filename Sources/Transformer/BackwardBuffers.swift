/// Backward buffers, sized like the forward ones and shared by all layers (shapes: `ShapeLegend`).
final class BackwardBuffers<S: EncoderScalar> {
    let hidden = Buffer<S>(count: 0)  // N×C: gradient w.r.t. the current layer's output, then its input
    let residual = Buffer<S>(count: 0)  // N×C
    let normed = Buffer<S>(count: 0)  // N×C
    let query = Buffer<S>(count: 0), key = Buffer<S>(count: 0), value = Buffer<S>(count: 0), context = Buffer<S>(count: 0)  // N×C
    let preActivation = Buffer<S>(count: 0), activated = Buffer<S>(count: 0)  // N×F
    let pooled = Buffer<S>(count: 0)  // B×C
    let scores = Buffer<S>(count: 0)  // workers × 2·L_max²

    func resize(config: EncoderConfig, batch: TokenBatch, workers: Int) {
        let n = batch.tokenCount
        let c = config.hidden
        for buffer in [hidden, residual, normed, query, key, value, context] { buffer.resize(n * c) }
        preActivation.resize(n * config.intermediate)
        activated.resize(n * config.intermediate)
        pooled.resize(batch.sequenceCount * c)
        scores.resize(workers * 2 * batch.maxLength * batch.maxLength)
    }
}
