/// The embedding layer: token, position and type rows summed per token (its LayerNorm is run
/// by `forward`), and the backward scatter of their gradients into the three tables.
extension BertEncoder {
    /// e[t] = word[id[t]] + position[t − start(t)] + type[0].
    func embeddingForward(_ batch: TokenBatch, into e: UnsafeMutablePointer<S>) {
        let c = config.hidden
        let w = parameters.pointer
        let typeRow = w + layout.typeEmbeddings
        for sequence in 0..<batch.sequenceCount {
            for t in batch.starts[sequence]..<batch.starts[sequence + 1] {
                let word = w + layout.wordEmbeddings + Int(batch.ids[t]) * c
                let position = w + layout.positionEmbeddings + (t - batch.starts[sequence]) * c
                let out = e + t * c
                for j in 0..<c { out[j] = word[j] + position[j] + typeRow[j] }
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
