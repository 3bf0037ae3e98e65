/// Masked mean pooling of each sequence's token vectors, forward and backward.
extension BertEncoder {
    /// pooled[s] = mean of the token vectors of sequence s.
    func meanPoolForward(_ h: UnsafePointer<S>, batch: TokenBatch, into pooled: UnsafeMutablePointer<S>) {
        let c = config.hidden
        for sequence in 0..<batch.sequenceCount {
            let out = pooled + sequence * c
            out.update(repeating: 0, count: c)
            for t in batch.starts[sequence]..<batch.starts[sequence + 1] {
                for j in 0..<c { out[j] += h[t * c + j] }
            }
            let inverse = 1 / S(batch.length(sequence))
            for j in 0..<c { out[j] *= inverse }
        }
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
}
