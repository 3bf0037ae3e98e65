/// The B operand of `Gemm.multiply` packed once, in the layout the micro-kernel reads (kc×NR
/// column panels, one block per kc rows of op(B)), for a matrix used in many products: the
/// encoder's weights at inference. Every product with it then skips packing B, and every row of
/// A, whatever the number of rows, goes through the same micro-kernel with the same order of
/// additions, so a sentence's embedding does not depend on the batch it is in.
public final class PackedMatrix: @unchecked Sendable {
    /// op(B) is k×n.
    public let k: Int
    public let n: Int
    let storage: UnsafeMutablePointer<Float>
    /// Columns rounded up to whole panels.
    let paddedColumns: Int

    /// Packs op(B): B itself (k×n, row stride ldb), or with `transposed`, Bᵀ of B stored n×k
    /// (a weight matrix outputs×inputs, as in out = x · Wᵀ).
    public init(transposed: Bool, _ b: UnsafePointer<Float>, ldb: Int, k: Int, n: Int) {
        self.k = k
        self.n = n
        paddedColumns = (n + Gemm.nr - 1) / Gemm.nr * Gemm.nr
        storage = .allocate(capacity: max(1, k * paddedColumns))
        var depth = 0
        while depth < k {
            let block = min(Gemm.kc, k - depth)
            Gemm.packB(transposed, b, ldb, row: depth, column: 0, k: block, n: n, into: storage + depth * paddedColumns)
            depth += block
        }
    }

    deinit { storage.deallocate() }

    /// The packed panels of rows depth..<depth+kc (a block start) from column `column` (a
    /// multiple of NR) on.
    func panels(depth: Int, column: Int) -> UnsafePointer<Float> {
        UnsafePointer(storage + depth * paddedColumns + column * min(Gemm.kc, k - depth))
    }
}
