extension Gemm {
    /// C[m×n] = A[m×k] · B[k×n] for attention's products within one head: few rows, a width that
    /// is a whole number of vectors (B's columns zero-padded by the caller), no packing. Tiles of
    /// 6 rows × 2 vectors broadcast each A entry against two B vectors (12 accumulators, within
    /// the AVX2 register file too): the 4 × 1-vector tiles of `multiplySmallNN` spent more loads
    /// than multiply-adds, and left a scalar loop for columns past the last whole vector.
    /// Each C entry is one chain of fused multiply-adds over k in order, from zero.
    static func multiplyNarrow(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>,
        ldc: Int
    ) {
        let width = WideVector.scalarCount
        precondition(n % width == 0, "multiplyNarrow needs whole vectors of columns")
        var j = 0
        while j < n {
            let pair = j + 2 * width <= n
            var i = 0
            while i + 6 <= m {
                if pair {
                    tile6x2(k: k, a: a + i * lda, lda: lda, b: b + j, ldb: ldb, c: c + i * ldc + j, ldc: ldc)
                } else {
                    for r in 0..<6 { row1(k: k, a: a + (i + r) * lda, b: b + j, ldb: ldb, c: c + (i + r) * ldc + j) }
                }
                i += 6
            }
            while i < m {
                row1(k: k, a: a + i * lda, b: b + j, ldb: ldb, c: c + i * ldc + j)
                if pair { row1(k: k, a: a + i * lda, b: b + j + width, ldb: ldb, c: c + i * ldc + j + width) }
                i += 1
            }
            j += pair ? 2 * width : width
        }
    }

    /// C[0..<6, 0..<2W] = A[0..<6, :] · B[:, 0..<2W].
    @inline(__always)
    static func tile6x2(
        k: Int, a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        let width = WideVector.scalarCount
        var c00 = WideVector(), c01 = WideVector(), c10 = WideVector(), c11 = WideVector(), c20 = WideVector(), c21 = WideVector()
        var c30 = WideVector(), c31 = WideVector(), c40 = WideVector(), c41 = WideVector(), c50 = WideVector(), c51 = WideVector()
        let (a1, a2, a3, a4, a5) = (a + lda, a + 2 * lda, a + 3 * lda, a + 4 * lda, a + 5 * lda)
        var pb = b
        for p in 0..<k {
            let y0 = loadWide(pb)
            let y1 = loadWide(pb + width)
            var x = WideVector(repeating: a[p])
            c00 = c00.addingProduct(x, y0); c01 = c01.addingProduct(x, y1)
            x = WideVector(repeating: a1[p])
            c10 = c10.addingProduct(x, y0); c11 = c11.addingProduct(x, y1)
            x = WideVector(repeating: a2[p])
            c20 = c20.addingProduct(x, y0); c21 = c21.addingProduct(x, y1)
            x = WideVector(repeating: a3[p])
            c30 = c30.addingProduct(x, y0); c31 = c31.addingProduct(x, y1)
            x = WideVector(repeating: a4[p])
            c40 = c40.addingProduct(x, y0); c41 = c41.addingProduct(x, y1)
            x = WideVector(repeating: a5[p])
            c50 = c50.addingProduct(x, y0); c51 = c51.addingProduct(x, y1)
            pb += ldb
        }
        storeWide(c00, c); storeWide(c01, c + width)
        storeWide(c10, c + ldc); storeWide(c11, c + ldc + width)
        storeWide(c20, c + 2 * ldc); storeWide(c21, c + 2 * ldc + width)
        storeWide(c30, c + 3 * ldc); storeWide(c31, c + 3 * ldc + width)
        storeWide(c40, c + 4 * ldc); storeWide(c41, c + 4 * ldc + width)
        storeWide(c50, c + 5 * ldc); storeWide(c51, c + 5 * ldc + width)
    }

    /// C[0, 0..<W] = A[0, :] · B[:, 0..<W].
    @inline(__always)
    static func row1(k: Int, a: UnsafePointer<Float>, b: UnsafePointer<Float>, ldb: Int, c: UnsafeMutablePointer<Float>) {
        var sum = WideVector()
        var pb = b
        for p in 0..<k {
            sum = sum.addingProduct(WideVector(repeating: a[p]), loadWide(pb))
            pb += ldb
        }
        storeWide(sum, c)
    }
}

@inline(__always)
func storeWide(_ value: WideVector, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: WideVector.self)
}
