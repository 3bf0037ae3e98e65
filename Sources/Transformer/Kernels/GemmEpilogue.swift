/// What a product with packed weights does to each block of C around its multiply-adds, while
/// the block is still in cache, instead of in separate passes over the whole output: start each
/// row from a bias row, then add a residual, then apply GELU. Every entry gets exactly the
/// operations, in the order, of the separate passes (fill with the bias, multiply-add, add,
/// GELU), so fusing changes no bit of the result.
public struct GemmEpilogue: @unchecked Sendable {
    /// Each row of C starts as this row (n values) instead of zero.
    public var bias: UnsafePointer<Float>?
    /// Added to C after the product; row stride `residualStride`.
    public var residual: UnsafePointer<Float>?
    public var residualStride: Int
    /// GELU (erf) applied in place last.
    public var gelu: Bool

    public init(bias: UnsafePointer<Float>? = nil, residual: UnsafePointer<Float>? = nil, residualStride: Int = 0, gelu: Bool = false) {
        self.bias = bias
        self.residual = residual
        self.residualStride = residualStride
        self.gelu = gelu
    }

    /// Nothing around the product.
    public static let none = GemmEpilogue()

    /// Rows `rows` of C (stride ldc), columns column..<column+width, set to the bias before the
    /// first multiply-add.
    func start(_ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Range<Int>, column: Int, width: Int) {
        guard let bias else { return }
        for r in rows { (c + r * ldc + column).update(from: bias + column, count: width) }
    }

    /// The same block after the last multiply-add: residual, then GELU.
    func finish(_ c: UnsafeMutablePointer<Float>, ldc: Int, rows: Range<Int>, column: Int, width: Int) {
        if let residual {
            for r in rows {
                let (target, source) = (c + r * ldc + column, residual + r * residualStride + column)
                for x in 0..<width { target[x] += source[x] }
            }
        }
        if gelu {
            for r in rows { GELU.forward(c + r * ldc + column, c + r * ldc + column, count: width) }
        }
    }
}
