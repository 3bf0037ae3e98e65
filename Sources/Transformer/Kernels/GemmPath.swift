/// The one place that decides which single-precision product runs, and on how many threads.
///
/// The paths, each tested against `Reference.gemm`:
/// - `Gemm.multiply(transposeA:transposeB:…)` takes the path `choose` gives for the shape:
///   `.zeroDepth` (k = 0: C is zeroed or kept), `.smallNN` (A·B for a few rows, attention-sized),
///   `.smallTransposedB` (A·Bᵀ for a few rows: one sentence through a dense layer, where packing
///   the whole weight would cost more than the product), `.packed` (BLIS, A and B packed per block).
/// - `Gemm.multiply(…packed:)`: B packed once beforehand (the dense layers' weights at inference,
///   `BertEncoder.packedWeight`); every row takes the micro-kernel, so a sentence's embedding
///   does not depend on its batch.
/// - `Gemm.multiplyNarrow`: attention's products within one head (`AttentionKernel`), whose
///   padded shapes it is made for.
/// - Double runs `Reference.gemm` (`EncoderScalar`): the gradient checks' exact arithmetic.
enum GemmPath: Equatable {
    case zeroDepth, smallNN, smallTransposedB, packed

    /// Up to this many rows, products skip packing.
    static let smallRows = 80
    /// `.smallNN` only up to this many columns (wider B rows leave its tiles without reuse).
    static let smallColumns = 256
    /// Below this many multiply-adds a second thread costs more than it saves.
    static let parallelThreshold = 1 << 20

    static func choose(transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int) -> GemmPath {
        if k == 0 { return .zeroDepth }
        if !transposeA && !transposeB && m <= smallRows && n <= smallColumns && m * n * k < parallelThreshold { return .smallNN }
        if !transposeA && transposeB && m <= smallRows { return .smallTransposedB }
        return .packed
    }

    /// Workers for a product of m·n·k multiply-adds that splits into `units` independent pieces:
    /// one below `parallelThreshold`, else as many as `threads` allows.
    static func workers(m: Int, n: Int, k: Int, units: Int, threads: Int) -> Int {
        m * n * k >= parallelThreshold ? max(1, min(threads, units)) : 1
    }
}
