/// How one layer's attention splits into independent (sequence, head) items, shared by the
/// forward and backward passes: item i is head `i % H` of sequence `i / H`; its Q, K, V and
/// context columns start at `base` with row stride C, its L×L probabilities at `probabilities`.
/// Shapes: `ShapeLegend`.
struct AttentionHeads: Sendable {
    let hidden: Int
    let heads: Int
    let headSize: Int
    /// Items (B·H) and the workers they are dealt to, round-robin.
    let items: Int
    let workers: Int
    let starts: [Int]
    /// Each sequence's offset into the layer's probability buffer (Σ over earlier sequences of H·L²).
    let probabilityOffsets: [Int]

    init(config: EncoderConfig, batch: TokenBatch, probabilityOffsets: [Int], threads: Int) {
        hidden = config.hidden
        heads = config.heads
        headSize = config.headSize
        items = batch.sequenceCount * config.heads
        workers = max(1, min(threads, items))
        starts = batch.starts
        self.probabilityOffsets = probabilityOffsets
    }

    /// 1/√D, the scale of the scores.
    func scale<S: EncoderScalar>() -> S { 1 / S(Double(headSize).squareRoot()) }

    /// Item `item`'s first Q/K/V/context element, its sequence length L, and the offset of its
    /// L×L probabilities.
    func slice(_ item: Int) -> (base: Int, length: Int, probabilities: Int) {
        let sequence = item / heads
        let head = item % heads
        let start = starts[sequence]
        let length = starts[sequence + 1] - start
        return (start * hidden + head * headSize, length, probabilityOffsets[sequence] + head * length * length)
    }
}
