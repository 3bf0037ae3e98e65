import Dispatch
import Foundation

/// Single-precision matrix multiply, C = op(A)·op(B) (+ C when accumulating), row-major with
/// leading dimensions, op = identity or transpose (the GEMM letters of `ShapeLegend`). The
/// three forms training needs (A·B, A·Bᵀ, Aᵀ·B) share one kernel: transposes are handled while
/// packing.
///
/// BLIS-style: B is packed into kc×NR column panels, A into MR×kc row panels (zero-padded), and
/// a register-blocked micro-kernel runs over each tile. Large products split their rows across
/// both cores. The tile fits the register file of the build's CPU target: 6×16 (12 `SIMD8`
/// accumulators in 16 ymm registers) for AVX2, 14×32 (28 `SIMD16` accumulators in 32 zmm
/// registers) when built for AVX-512 (`make` detects it and defines FEWSHOT_AVX512).
public enum Gemm {
    #if FEWSHOT_AVX512
        static let mr = 14
        static let nr = 32
        static let mc = 112
    #else
        static let mr = 6
        static let nr = 16
        static let mc = 96
    #endif
    static let kc = 256
    static let nc = 3072

    /// C[m×n] (ldc) = op(A)[m×k] · op(B)[k×n], plus the old C when `accumulate`.
    /// With `transposeA`, A is stored k×m (lda >= m); with `transposeB`, B is stored n×k.
    public static func multiply(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int = Parallel.threads
    ) {
        guard m > 0, n > 0 else { return }
        switch GemmPath.choose(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k) {
        case .zeroDepth:
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
        case .smallNN:
            multiplySmallNN(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate)
        case .smallTransposedB:
            multiplySmallTransposedB(
                m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc, accumulate: accumulate, threads: threads)
        case .packed:
            packedProduct(
                transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: c, ldc: ldc,
                accumulate: accumulate, threads: threads)
        }
    }

    /// C[m×n] (ldc) = op(A)[m×k] · B[k×n], plus the old C when `accumulate`, with B packed once
    /// beforehand, and the `epilogue` (bias, residual, GELU) applied block by block. Every row
    /// takes the micro-kernel path, so each entry of C is the same chain of fused multiply-adds
    /// (from the old C or the bias, over k in order) whatever m is.
    public static func multiply(
        transposeA: Bool, m: Int, a: UnsafePointer<Float>, lda: Int, packed: PackedMatrix, c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool, epilogue: GemmEpilogue = .none, threads: Int = Parallel.threads
    ) {
        precondition(!(accumulate && epilogue.bias != nil), "a bias starts C: it cannot also accumulate")
        guard m > 0, packed.n > 0 else { return }
        if packed.k == 0 {
            if !accumulate { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: packed.n) } }
            epilogue.start(c, ldc: ldc, rows: 0..<m, column: 0, width: packed.n)
            epilogue.finish(c, ldc: ldc, rows: 0..<m, column: 0, width: packed.n)
            return
        }
        prepackedProduct(
            transposeA: transposeA, m: m, a: a, lda: lda, packed: packed, c: c, ldc: ldc, accumulate: accumulate, epilogue: epilogue,
            threads: threads)
    }

    /// The BLIS loop: B packed per kc×nc block, A per mc×kc block.
    static func packedProduct(
        transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int
    ) {
        let packedB = PackBuffers.shared.acquire(kc * (min(n, nc) + nr))
        defer { PackBuffers.shared.release(packedB) }
        let rowBlocks = (m + mc - 1) / mc
        let workers = GemmPath.workers(m: m, n: n, k: k, units: rowBlocks * ((min(n, nc) + nr - 1) / nr), threads: threads)
        let packedA = PackBuffers.shared.acquire(workers * kc * (mc + mr))
        defer { PackBuffers.shared.release(packedA) }
        let shared = SendablePointers(a: a, b: UnsafePointer(packedB), c: c, packedA: packedA, bSource: b, packedB: packedB)

        var jc = 0
        while jc < n {
            let ncb = min(nc, n - jc)
            var pc = 0
            while pc < k {
                let kcb = min(kc, k - pc)
                let addToC = accumulate || pc > 0
                let (column, depth) = (jc, pc)
                let split = WorkSplit(m: m, panels: (ncb + nr - 1) / nr, workers: workers, rowUnit: mc)
                // With a row split every worker needs all of B: pack it once, here. With a
                // column split each worker packs its own panels, in parallel.
                if split.columnSplits == 1 { packB(transposeB, b, ldb, row: pc, column: jc, k: kcb, n: ncb, into: packedB) }
                let work: @Sendable (Int) -> Void = { worker in
                    let myA = shared.packedA + worker * kc * (mc + mr)
                    guard let (columnStart, width) = split.columns(of: worker, n: ncb) else { return }
                    if split.columnSplits > 1 && split.rowPart(of: worker) == 0 {
                        packB(
                            transposeB, shared.bSource, ldb, row: depth, column: column + columnStart, k: kcb, n: width,
                            into: shared.packedB + columnStart * kcb)
                    }
                    let rows = split.rows(of: worker)
                    var ic = rows.lowerBound
                    while ic < rows.upperBound {
                        let mcb = min(mc, rows.upperBound - ic)
                        packA(transposeA, shared.a, lda, row: ic, column: depth, m: mcb, k: kcb, into: myA)
                        macroKernel(
                            m: mcb, n: width, k: kcb, packedA: myA, packedB: shared.b + columnStart * kcb,
                            c: shared.c + ic * ldc + column + columnStart, ldc: ldc, accumulate: addToC)
                        ic += mcb
                    }
                }
                Parallel.perform(iterations: split.iterations, work)
                pc += kcb
            }
            jc += ncb
        }
    }

    /// The BLIS loop with B packed beforehand: each worker takes its rows or column panels
    /// through every kc block, so a product is one parallel pass (not one per kc block).
    static func prepackedProduct(
        transposeA: Bool, m: Int, a: UnsafePointer<Float>, lda: Int, packed: PackedMatrix, c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool, epilogue: GemmEpilogue, threads: Int
    ) {
        let (n, k) = (packed.n, packed.k)
        let rowBlocks = (m + mc - 1) / mc
        let panels = (n + nr - 1) / nr
        let workers = GemmPath.workers(m: m, n: n, k: k, units: rowBlocks * panels, threads: threads)
        let split = WorkSplit(m: m, panels: panels, workers: workers, rowUnit: mr)
        let packedA = PackBuffers.shared.acquire(workers * kc * (mc + mr))
        defer { PackBuffers.shared.release(packedA) }
        let shared = SendablePointers(a: a, b: a, c: c, packedA: packedA, bSource: a, packedB: packedA)
        let work: @Sendable (Int) -> Void = { worker in
            let myA = shared.packedA + worker * kc * (mc + mr)
            guard let (columnStart, width) = split.columns(of: worker, n: n) else { return }
            let workerRows = split.rows(of: worker)
            var ic = workerRows.lowerBound
            while ic < workerRows.upperBound {
                let mcb = min(mc, workerRows.upperBound - ic)
                let rows = ic..<ic + mcb
                epilogue.start(shared.c, ldc: ldc, rows: rows, column: columnStart, width: width)
                var depth = 0
                while depth < k {
                    let kcb = min(kc, k - depth)
                    packA(transposeA, shared.a, lda, row: ic, column: depth, m: mcb, k: kcb, into: myA)
                    macroKernel(
                        m: mcb, n: width, k: kcb, packedA: myA, packedB: packed.panels(depth: depth, column: columnStart),
                        c: shared.c + ic * ldc + columnStart, ldc: ldc, accumulate: accumulate || epilogue.bias != nil || depth > 0)
                    depth += kcb
                }
                epilogue.finish(shared.c, ldc: ldc, rows: rows, column: columnStart, width: width)
                ic += mcb
            }
        }
        Parallel.perform(iterations: split.iterations, work)
    }

    /// Packs op(B)[row..<row+k, column..<column+n] into panels of `nr` columns (32 with
    /// AVX-512, 16 with AVX2): panel j holds k rows of `nr` consecutive floats (zero beyond n).
    static func packB(
        _ transposed: Bool, _ b: UnsafePointer<Float>, _ ldb: Int, row: Int, column: Int, k: Int, n: Int,
        into packed: UnsafeMutablePointer<Float>
    ) {
        var destination = packed
        var j = 0
        while j < n {
            let width = min(nr, n - j)
            if !transposed {
                for p in 0..<k {
                    let source = b + (row + p) * ldb + column + j
                    if width == nr {
                        for x in stride(from: 0, to: nr, by: 8) { store(load(source + x), destination + x) }
                    } else {
                        for x in 0..<nr { destination[x] = x < width ? source[x] : 0 }
                    }
                    destination += nr
                }
            } else {
                // B is stored n×k: read each of the panel's rows contiguously, write strided.
                for x in 0..<nr {
                    if x < width {
                        let source = b + (column + j + x) * ldb + row
                        for p in 0..<k { destination[p * nr + x] = source[p] }
                    } else {
                        for p in 0..<k { destination[p * nr + x] = 0 }
                    }
                }
                destination += nr * k
            }
            j += nr
        }
    }

    /// Packs op(A)[row..<row+m, column..<column+k] into panels of `mr` rows (14 with
    /// AVX-512, 6 with AVX2): panel i holds k columns of `mr` consecutive floats (zero beyond m).
    static func packA(
        _ transposed: Bool, _ a: UnsafePointer<Float>, _ lda: Int, row: Int, column: Int, m: Int, k: Int,
        into packed: UnsafeMutablePointer<Float>
    ) {
        var destination = packed
        var i = 0
        while i < m {
            let height = min(mr, m - i)
            if !transposed {
                for r in 0..<mr {
                    if r < height {
                        let source = a + (row + i + r) * lda + column
                        for p in 0..<k { destination[p * mr + r] = source[p] }
                    } else {
                        for p in 0..<k { destination[p * mr + r] = 0 }
                    }
                }
            } else {
                for p in 0..<k {
                    let source = a + (column + p) * lda + row + i
                    for r in 0..<mr { destination[p * mr + r] = r < height ? source[r] : 0 }
                }
            }
            destination += mr * k
            i += mr
        }
    }

    static func macroKernel(
        m: Int, n: Int, k: Int, packedA: UnsafeMutablePointer<Float>, packedB: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>,
        ldc: Int, accumulate: Bool
    ) {
        var edge = [Float](repeating: 0, count: mr * nr)
        var j = 0
        while j < n {
            let width = min(nr, n - j)
            var i = 0
            while i < m {
                let height = min(mr, m - i)
                let a = packedA + i * k
                let b = packedB + j * k
                let tile = c + i * ldc + j
                if width == nr && height == mr {
                    microKernel(k: k, a: a, b: b, c: tile, ldc: ldc, accumulate: accumulate)
                } else if width == nr {
                    // The last rows (one short sentence is 14 + 2 rows): 4-row tiles, not a full
                    // 14-row tile for 2 rows. Each entry is the same chain of multiply-adds.
                    var row = 0
                    while row < height {
                        let rows = min(4, height - row)
                        microKernelRows(rows, k: k, a: a + row, b: b, c: tile + row * ldc, ldc: ldc, accumulate: accumulate)
                        row += 4
                    }
                } else {
                    // A partial tile goes through a full-size copy. The copy starts from the old
                    // C, so each entry is the same chain of multiply-adds as in a full tile: a row
                    // gets the same bits whether or not it lands in the last, partial tile.
                    edge.withUnsafeMutableBufferPointer { buffer in
                        let temporary = buffer.baseAddress!
                        if accumulate {
                            for r in 0..<height {
                                for x in 0..<width { temporary[r * nr + x] = tile[r * ldc + x] }
                            }
                        }
                        microKernel(k: k, a: a, b: b, c: temporary, ldc: nr, accumulate: accumulate)
                        for r in 0..<height {
                            for x in 0..<width { tile[r * ldc + x] = temporary[r * nr + x] }
                        }
                    }
                }
                i += mr
            }
            j += nr
        }
    }

    /// C[0..<rows, 0..<NR] (+)= A · Bpanel for 1 to 4 rows of a packed A panel (row r of the
    /// panel at a[p·MR + r]): 8 accumulators, 2 vectors per row; the rows past `rows` multiply
    /// zeros, are never read from A, and are not stored.
    @inline(never)
    static func microKernelRows(
        _ rows: Int, k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let width = WideVector.scalarCount
        var c00 = WideVector(), c01 = WideVector(), c10 = WideVector(), c11 = WideVector()
        var c20 = WideVector(), c21 = WideVector(), c30 = WideVector(), c31 = WideVector()
        if accumulate {
            c00 = loadWide(c); c01 = loadWide(c + width)
            if rows > 1 { c10 = loadWide(c + ldc); c11 = loadWide(c + ldc + width) }
            if rows > 2 { c20 = loadWide(c + 2 * ldc); c21 = loadWide(c + 2 * ldc + width) }
            if rows > 3 { c30 = loadWide(c + 3 * ldc); c31 = loadWide(c + 3 * ldc + width) }
        }
        var pa = a
        var pb = b
        for _ in 0..<k {
            let b0 = loadWide(pb)
            let b1 = loadWide(pb + width)
            var x = WideVector(repeating: pa[0])
            c00 = c00.addingProduct(x, b0); c01 = c01.addingProduct(x, b1)
            x = WideVector(repeating: rows > 1 ? pa[1] : 0)
            c10 = c10.addingProduct(x, b0); c11 = c11.addingProduct(x, b1)
            x = WideVector(repeating: rows > 2 ? pa[2] : 0)
            c20 = c20.addingProduct(x, b0); c21 = c21.addingProduct(x, b1)
            x = WideVector(repeating: rows > 3 ? pa[3] : 0)
            c30 = c30.addingProduct(x, b0); c31 = c31.addingProduct(x, b1)
            pa += mr
            pb += nr
        }
        storeWide(c00, c); storeWide(c01, c + width)
        if rows > 1 { storeWide(c10, c + ldc); storeWide(c11, c + ldc + width) }
        if rows > 2 { storeWide(c20, c + 2 * ldc); storeWide(c21, c + 2 * ldc + width) }
        if rows > 3 { storeWide(c30, c + 3 * ldc); storeWide(c31, c + 3 * ldc + width) }
    }

    @inline(__always)
    static func microKernel(
        k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        #if FEWSHOT_AVX512
            microKernel14x32(k: k, a: a, b: b, c: c, ldc: ldc, accumulate: accumulate)
        #else
            microKernel6x16(k: k, a: a, b: b, c: c, ldc: ldc, accumulate: accumulate)
        #endif
    }

    /// The 6×16 register tile: C[0..<6, 0..<16] (+)= Apanel · Bpanel over k.
    @inline(never)
    static func microKernel6x16(
        k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        var c00 = Vector(), c01 = Vector(), c10 = Vector(), c11 = Vector(), c20 = Vector(), c21 = Vector()
        var c30 = Vector(), c31 = Vector(), c40 = Vector(), c41 = Vector(), c50 = Vector(), c51 = Vector()
        if accumulate {
            c00 = load(c); c01 = load(c + 8)
            c10 = load(c + ldc); c11 = load(c + ldc + 8)
            c20 = load(c + 2 * ldc); c21 = load(c + 2 * ldc + 8)
            c30 = load(c + 3 * ldc); c31 = load(c + 3 * ldc + 8)
            c40 = load(c + 4 * ldc); c41 = load(c + 4 * ldc + 8)
            c50 = load(c + 5 * ldc); c51 = load(c + 5 * ldc + 8)
        }
        var pa = a
        var pb = b
        for _ in 0..<k {
            let b0 = load(pb)
            let b1 = load(pb + 8)
            var broadcast = Vector(repeating: pa[0])
            c00 = c00.addingProduct(broadcast, b0); c01 = c01.addingProduct(broadcast, b1)
            broadcast = Vector(repeating: pa[1])
            c10 = c10.addingProduct(broadcast, b0); c11 = c11.addingProduct(broadcast, b1)
            broadcast = Vector(repeating: pa[2])
            c20 = c20.addingProduct(broadcast, b0); c21 = c21.addingProduct(broadcast, b1)
            broadcast = Vector(repeating: pa[3])
            c30 = c30.addingProduct(broadcast, b0); c31 = c31.addingProduct(broadcast, b1)
            broadcast = Vector(repeating: pa[4])
            c40 = c40.addingProduct(broadcast, b0); c41 = c41.addingProduct(broadcast, b1)
            broadcast = Vector(repeating: pa[5])
            c50 = c50.addingProduct(broadcast, b0); c51 = c51.addingProduct(broadcast, b1)
            pa += 6
            pb += 16
        }
        store(c00, c); store(c01, c + 8)
        store(c10, c + ldc); store(c11, c + ldc + 8)
        store(c20, c + 2 * ldc); store(c21, c + 2 * ldc + 8)
        store(c30, c + 3 * ldc); store(c31, c + 3 * ldc + 8)
        store(c40, c + 4 * ldc); store(c41, c + 4 * ldc + 8)
        store(c50, c + 5 * ldc); store(c51, c + 5 * ldc + 8)
    }
}
