/// Activation buffers of one transformer layer, sized for the current batch (N tokens).
final class LayerActivations<S: EncoderScalar> {
    let query = Buffer<S>(count: 0), key = Buffer<S>(count: 0), value = Buffer<S>(count: 0)  // N×C
    let probabilities = Buffer<S>(count: 0)  // Σ_s H·L_s² when training, else empty
    var probabilityOffsets: [Int] = []  // per sequence, into probabilities
    let context = Buffer<S>(count: 0)  // N×C, attention output before its projection
    let residual1 = Buffer<S>(count: 0), normed1 = Buffer<S>(count: 0)  // N×C
    let mean1 = Buffer<S>(count: 0), rstd1 = Buffer<S>(count: 0)  // N
    let preActivation = Buffer<S>(count: 0), activated = Buffer<S>(count: 0)  // N×F (activated: training only)
    let residual2 = Buffer<S>(count: 0)  // N×C
    let mean2 = Buffer<S>(count: 0), rstd2 = Buffer<S>(count: 0)  // N

    func resize(config: EncoderConfig, batch: TokenBatch, training: Bool) {
        let n = batch.tokenCount
        let c = config.hidden
        for buffer in [query, key, value, context, residual1, normed1, residual2] { buffer.resize(n * c) }
        for buffer in [mean1, rstd1, mean2, rstd2] { buffer.resize(n) }
        preActivation.resize(n * config.intermediate)
        activated.resize(training ? n * config.intermediate : 0)
        var offsets: [Int] = []
        var total = 0
        for sequence in 0..<batch.sequenceCount {
            offsets.append(total)
            total += config.heads * batch.length(sequence) * batch.length(sequence)
        }
        probabilityOffsets = offsets
        probabilities.resize(training ? total : 0)
    }
}
