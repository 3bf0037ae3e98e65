import Dispatch

#if FEWSHOT_AVX512
    typealias WideVector = SIMD16<Float>
#else
    typealias WideVector = SIMD8<Float>
#endif

extension Gemm {
    /// C = A·Bᵀ for few rows of A (one sentence at a time), without packing: packing the whole
    /// weight matrix B would cost more than the product. Rows of A and B are both contiguous
    /// along k, so each C entry is a SIMD dot product; 4×4 blocks reuse every load four times.
    static func multiplySmallTransposedB(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool, threads: Int
    ) {
        let blocks = (n + 3) / 4
        let workers = GemmPath.workers(m: m, n: n, k: k, units: blocks, threads: threads)
        let pointers = SmallPointers(a: a, b: b, c: c)
        let work: @Sendable (Int) -> Void = { worker in
            let first = blocks * worker / workers * 4
            let end = min(n, blocks * (worker + 1) / workers * 4)
            var j = first
            while j < end {
                var i = 0
                if j + 4 <= end {
                    while i + 4 <= m {
                        dot4x4(
                            k: k, a: pointers.a + i * lda, lda: lda, b: pointers.b + j * ldb, ldb: ldb, c: pointers.c + i * ldc + j,
                            ldc: ldc, accumulate: accumulate)
                        i += 4
                    }
                }
                for row in i..<m {
                    for column in j..<min(j + 4, end) {
                        let value = dot(k: k, pointers.a + row * lda, pointers.b + column * ldb)
                        pointers.c[row * ldc + column] = (accumulate ? pointers.c[row * ldc + column] : 0) + value
                    }
                }
                j += 4
            }
        }
        Parallel.perform(iterations: workers, work)
    }

    /// Σ x[p]·y[p] over k, a SIMD vector of products at a time (also what the background
    /// topics' closeness sums with).
    @inline(__always)
    public static func dot(k: Int, _ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>) -> Float {
        let width = WideVector.scalarCount
        var sum = WideVector()
        var p = 0
        while p + width <= k {
            sum = sum.addingProduct(loadWide(x + p), loadWide(y + p))
            p += width
        }
        var total = horizontalSum(sum)
        while p < k {
            total += x[p] * y[p]
            p += 1
        }
        return total
    }

    /// C[0..<4, 0..<4] (+)= A[0..<4, :] · B[0..<4, :]ᵀ with 16 vector accumulators.
    @inline(never)
    static func dot4x4(
        k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool
    ) {
        let width = WideVector.scalarCount
        var s00 = WideVector(), s01 = WideVector(), s02 = WideVector(), s03 = WideVector()
        var s10 = WideVector(), s11 = WideVector(), s12 = WideVector(), s13 = WideVector()
        var s20 = WideVector(), s21 = WideVector(), s22 = WideVector(), s23 = WideVector()
        var s30 = WideVector(), s31 = WideVector(), s32 = WideVector(), s33 = WideVector()
        let a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
        let b1 = b + ldb, b2 = b + 2 * ldb, b3 = b + 3 * ldb
        var p = 0
        while p + width <= k {
            let x0 = loadWide(a + p), x1 = loadWide(a1 + p), x2 = loadWide(a2 + p), x3 = loadWide(a3 + p)
            var y = loadWide(b + p)
            s00 = s00.addingProduct(x0, y); s10 = s10.addingProduct(x1, y); s20 = s20.addingProduct(x2, y); s30 = s30.addingProduct(x3, y)
            y = loadWide(b1 + p)
            s01 = s01.addingProduct(x0, y); s11 = s11.addingProduct(x1, y); s21 = s21.addingProduct(x2, y); s31 = s31.addingProduct(x3, y)
            y = loadWide(b2 + p)
            s02 = s02.addingProduct(x0, y); s12 = s12.addingProduct(x1, y); s22 = s22.addingProduct(x2, y); s32 = s32.addingProduct(x3, y)
            y = loadWide(b3 + p)
            s03 = s03.addingProduct(x0, y); s13 = s13.addingProduct(x1, y); s23 = s23.addingProduct(x2, y); s33 = s33.addingProduct(x3, y)
            p += width
        }
        var sums: [Float] = [
            horizontalSum(s00), horizontalSum(s01), horizontalSum(s02), horizontalSum(s03), horizontalSum(s10), horizontalSum(s11),
            horizontalSum(s12), horizontalSum(s13),
            horizontalSum(s20), horizontalSum(s21), horizontalSum(s22), horizontalSum(s23), horizontalSum(s30), horizontalSum(s31),
            horizontalSum(s32), horizontalSum(s33),
        ]
        while p < k {
            for row in 0..<4 {
                for column in 0..<4 { sums[row * 4 + column] += a[row * lda + p] * b[column * ldb + p] }
            }
            p += 1
        }
        for row in 0..<4 {
            for column in 0..<4 {
                c[row * ldc + column] = (accumulate ? c[row * ldc + column] : 0) + sums[row * 4 + column]
            }
        }
    }
}

/// Tree sum of a wide vector (the stdlib `.sum()` is an unspecialized generic call here).
@inline(__always)
func horizontalSum(_ v: SIMD16<Float>) -> Float { horizontalSum(v.lowHalf + v.highHalf) }

@inline(__always)
func loadWide(_ pointer: UnsafePointer<Float>) -> WideVector {
    UnsafeRawPointer(pointer).loadUnaligned(as: WideVector.self)
}

struct SmallPointers: @unchecked Sendable {
    let a: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
}

extension Gemm {
    /// C = A·B for few rows (attention within one sentence), without packing: each 4-row tile
    /// broadcasts A entries against contiguous vectors of B's rows.
    static func multiplySmallNN(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        c: UnsafeMutablePointer<Float>, ldc: Int, accumulate: Bool
    ) {
        let width = WideVector.scalarCount
        let vectorColumns = n / width * width
        var i = 0
        while i < m {
            let rows = min(4, m - i)
            var j = 0
            while j < vectorColumns {
                if rows == 4 {
                    tile4(k: k, a: a + i * lda, lda: lda, b: b + j, ldb: ldb, c: c + i * ldc + j, ldc: ldc, accumulate: accumulate)
                } else {
                    for r in 0..<rows {
                        var t = WideVector()
                        let row = a + (i + r) * lda
                        for p in 0..<k { t = t.addingProduct(WideVector(repeating: row[p]), loadWide(b + p * ldb + j)) }
                        let target = c + (i + r) * ldc + j
                        UnsafeMutableRawPointer(target).storeBytes(of: accumulate ? t + loadWide(target) : t, as: WideVector.self)
                    }
                }
                j += width
            }
            if vectorColumns < n {
                for r in 0..<rows {
                    for column in vectorColumns..<n {
                        var sum: Float = 0
                        for p in 0..<k { sum += a[(i + r) * lda + p] * b[p * ldb + column] }
                        c[(i + r) * ldc + column] = (accumulate ? c[(i + r) * ldc + column] : 0) + sum
                    }
                }
            }
            i += 4
        }
    }

    /// C[0..<4, 0..<W] (+)= A[0..<4, :] · B[:, 0..<W].
    @inline(__always)
    static func tile4(
        k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int,
        accumulate: Bool
    ) {
        var t0 = WideVector(), t1 = WideVector(), t2 = WideVector(), t3 = WideVector()
        let a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda
        var pb = b
        for p in 0..<k {
            let y = loadWide(pb)
            t0 = t0.addingProduct(WideVector(repeating: a[p]), y)
            t1 = t1.addingProduct(WideVector(repeating: a1[p]), y)
            t2 = t2.addingProduct(WideVector(repeating: a2[p]), y)
            t3 = t3.addingProduct(WideVector(repeating: a3[p]), y)
            pb += ldb
        }
        if accumulate {
            t0 += loadWide(c); t1 += loadWide(c + ldc); t2 += loadWide(c + 2 * ldc); t3 += loadWide(c + 3 * ldc)
        }
        UnsafeMutableRawPointer(c).storeBytes(of: t0, as: WideVector.self)
        UnsafeMutableRawPointer(c + ldc).storeBytes(of: t1, as: WideVector.self)
        UnsafeMutableRawPointer(c + 2 * ldc).storeBytes(of: t2, as: WideVector.self)
        UnsafeMutableRawPointer(c + 3 * ldc).storeBytes(of: t3, as: WideVector.self)
    }
}
