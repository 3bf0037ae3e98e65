import Dispatch

/// The element-wise passes of a layer (bias, residual add, GELU, LayerNorm), split by rows over
/// the kernel threads: single-threaded, they held back two-thread speed (Amdahl). Each row is
/// computed by the same code whatever the split, so results do not depend on it or on the batch.
extension BertEncoder {
    /// Below this many elements a second thread costs more than it saves.
    static var rowParallelThreshold: Int { 1 << 15 }

    /// Runs `body` over consecutive row ranges that together cover 0..<rows.
    func forEachRowRange(_ rows: Int, columns: Int, _ body: @escaping @Sendable (Range<Int>) -> Void) {
        let workers = rows * columns >= Self.rowParallelThreshold ? min(threads, rows) : 1
        Parallel.perform(iterations: workers) { worker in
            body(rows * worker / workers..<rows * (worker + 1) / workers)
        }
    }

    /// Each row of out[rows×columns] set to `row`.
    func fillRows(_ out: UnsafeMutablePointer<S>, with row: UnsafePointer<S>, rows: Int, columns: Int) {
        let (target, source) = (SendableMutablePointer(out), SendableMutablePointer(UnsafeMutablePointer(mutating: row)))
        forEachRowRange(rows, columns: columns) { range in
            for r in range { (target.pointer + r * columns).update(from: source.pointer, count: columns) }
        }
    }

    /// y += x over rows×columns.
    func add(_ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, rows: Int, columns: Int) {
        let (source, target) = (SendableMutablePointer(UnsafeMutablePointer(mutating: x)), SendableMutablePointer(y))
        forEachRowRange(rows, columns: columns) { range in
            for index in range.lowerBound * columns..<range.upperBound * columns { target.pointer[index] += source.pointer[index] }
        }
    }

    /// y = GELU(x), row by row (so a row's vector and scalar parts never depend on its position).
    func gelu(_ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>, rows: Int, columns: Int) {
        let (source, target) = (SendableMutablePointer(UnsafeMutablePointer(mutating: x)), SendableMutablePointer(y))
        forEachRowRange(rows, columns: columns) { range in
            for r in range { S.geluForward(source.pointer + r * columns, target.pointer + r * columns, count: columns) }
        }
    }

    /// LayerNorm of each row, keeping mean and 1/σ per row for backward.
    func layerNorm(
        _ x: UnsafePointer<S>, gamma: UnsafePointer<S>, beta: UnsafePointer<S>, y: UnsafeMutablePointer<S>, mean: UnsafeMutablePointer<S>,
        rstd: UnsafeMutablePointer<S>, rows: Int, columns: Int
    ) {
        let source = SendableMutablePointer(UnsafeMutablePointer(mutating: x))
        let (g, b) = (
            SendableMutablePointer(UnsafeMutablePointer(mutating: gamma)), SendableMutablePointer(UnsafeMutablePointer(mutating: beta))
        )
        let (target, means, rstds) = (SendableMutablePointer(y), SendableMutablePointer(mean), SendableMutablePointer(rstd))
        let epsilon = S(config.layerNormEpsilon)
        forEachRowRange(rows, columns: columns) { range in
            let first = range.lowerBound
            S.layerNormForward(
                source.pointer + first * columns, gamma: g.pointer, beta: b.pointer, y: target.pointer + first * columns,
                mean: means.pointer + first, rstd: rstds.pointer + first, rows: range.count, columns: columns, epsilon: epsilon)
        }
    }
}
