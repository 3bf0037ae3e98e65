/// Everything a forward pass keeps: per layer when training (for backward), one reused set when
/// only encoding.
final class Activations<S: EncoderScalar> {
    var layers: [LayerActivations<S>] = []
    /// Layer inputs/outputs: hidden[0] is the embedding output; L + 1 buffers when training,
    /// 2 alternating ones otherwise.
    var hidden: [Buffer<S>] = []
    let embeddingSum = Buffer<S>(count: 0)
    let embeddingMean = Buffer<S>(count: 0), embeddingRstd = Buffer<S>(count: 0)
    let pooled = Buffer<S>(count: 0), norms = Buffer<S>(count: 0), embeddings = Buffer<S>(count: 0)
    private(set) var keepsAll = false

    func resize(config: EncoderConfig, batch: TokenBatch, keepAll: Bool) {
        keepsAll = keepAll
        let layerSets = keepAll ? config.layers : 1
        while layers.count < layerSets { layers.append(LayerActivations<S>()) }
        for layer in layers.prefix(layerSets) { layer.resize(config: config, batch: batch, training: keepAll) }
        let hiddenCount = keepAll ? config.layers + 1 : 2
        while hidden.count < hiddenCount { hidden.append(Buffer<S>(count: 0)) }
        let n = batch.tokenCount
        let c = config.hidden
        for buffer in hidden.prefix(hiddenCount) { buffer.resize(n * c) }
        embeddingSum.resize(n * c)
        embeddingMean.resize(n)
        embeddingRstd.resize(n)
        pooled.resize(batch.sequenceCount * c)
        embeddings.resize(batch.sequenceCount * c)
        norms.resize(batch.sequenceCount)
    }
}
