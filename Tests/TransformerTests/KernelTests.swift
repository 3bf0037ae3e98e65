import Foundation
import TestSupport
import Testing

@testable import Transformer

/// Random inputs in [-1, 1), reproducible.
func randomFloats(_ count: Int, seed: UInt64, scale: Float = 1) -> [Float] {
    var random = SeededRandom(seed: seed)
    return (0..<count).map { _ in (random.unitFloat() * 2 - 1) * scale }
}

func maxRelativeError(_ a: [Float], _ b: [Double]) -> Double {
    var worst = 0.0
    let scale = max(b.map(abs).max() ?? 1, 1e-6)
    for (x, y) in zip(a, b) { worst = max(worst, abs(Double(x) - y) / scale) }
    return worst
}

/// Fast Float kernels against the plain reference (run in Double) on odd shapes.
@Suite struct KernelTests {
    @Test(arguments: [
        (1, 1, 1), (7, 13, 5), (6, 16, 256), (37, 45, 300), (100, 33, 17), (13, 200, 530), (200, 70, 64), (13, 2000, 64), (300, 70, 64),
        (230, 1100, 300),
    ])
    func gemmMatchesReferenceInAllForms(m: Int, n: Int, k: Int) {
        for (transposeA, transposeB) in [(false, false), (false, true), (true, false), (true, true)] {
            for accumulate in [false, true] {
                let lda = (transposeA ? m : k) + 3
                let ldb = (transposeB ? k : n) + 1
                let ldc = n + 2
                let a = randomFloats((transposeA ? k : m) * lda, seed: 1)
                let b = randomFloats((transposeB ? n : k) * ldb, seed: 2)
                var c = randomFloats(m * ldc, seed: 3)
                var expected = c.map(Double.init)
                let ad = a.map(Double.init)
                let bd = b.map(Double.init)
                Gemm.multiply(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: &c, ldc: ldc,
                    accumulate: accumulate, threads: 2)
                Reference.gemm(
                    transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a: ad, lda: lda, b: bd, ldb: ldb, c: &expected,
                    ldc: ldc,
                    accumulate: accumulate)
                // Only the m×n region may change; padding columns keep their values.
                #expect(maxRelativeError(c, expected) < 1e-5, "\(m)x\(n)x\(k) tA=\(transposeA) tB=\(transposeB) acc=\(accumulate)")
            }
        }
    }

    @Test(arguments: [(1, 1, 1), (5, 33, 17), (37, 128, 512), (200, 70, 300), (13, 1536, 384)])
    func prepackedGemmMatchesReference(m: Int, n: Int, k: Int) {
        for transposed in [false, true] {
            let (lda, ldb, ldc) = (k + 3, (transposed ? k : n) + 1, n + 2)
            let a = randomFloats(m * lda, seed: 1)
            let b = randomFloats((transposed ? n : k) * ldb, seed: 2)
            var c = randomFloats(m * ldc, seed: 3)
            var expected = c.map(Double.init)
            let packed = PackedMatrix(transposed: transposed, b, ldb: ldb, k: k, n: n)
            Gemm.multiply(transposeA: false, m: m, a: a, lda: lda, packed: packed, c: &c, ldc: ldc, accumulate: true, threads: 2)
            Reference.gemm(
                transposeA: false, transposeB: transposed, m: m, n: n, k: k, a: a.map(Double.init), lda: lda, b: b.map(Double.init),
                ldb: ldb, c: &expected, ldc: ldc, accumulate: true)
            #expect(maxRelativeError(c, expected) < 1e-5, "\(m)x\(n)x\(k) transposed=\(transposed)")
        }
    }

    /// With packed weights, a row of C has the same bits whether it is multiplied alone or with
    /// any number of other rows (full tiles, partial tiles, one thread or two, k over one block).
    @Test func prepackedRowsDoNotDependOnTheOtherRows() {
        let (n, k) = (128, 512)
        let weights = randomFloats(n * k, seed: 4)
        let packed = PackedMatrix(transposed: true, weights, ldb: k, k: k, n: n)
        let a = randomFloats(301 * k, seed: 5)
        let bias = randomFloats(n, seed: 6)
        func product(rows: Range<Int>, threads: Int) -> [Float] {
            var c = [Float]()
            for _ in rows { c += bias }
            Array(a[rows.lowerBound * k..<rows.upperBound * k]).withUnsafeBufferPointer { rowsOfA in
                Gemm.multiply(
                    transposeA: false, m: rows.count, a: rowsOfA.baseAddress!, lda: k, packed: packed, c: &c, ldc: n, accumulate: true,
                    threads: threads)
            }
            return c
        }
        let all = product(rows: 0..<301, threads: 2)
        for (start, count, threads) in [(0, 1, 1), (5, 1, 2), (300, 1, 1), (17, 14, 2), (100, 93, 2), (0, 301, 1)] {
            #expect(
                product(rows: start..<start + count, threads: threads) == Array(all[start * n..<(start + count) * n]),
                "rows \(start)..<\(start + count) on \(threads) threads")
        }
    }

    /// The fused epilogue (bias first, residual, GELU) gives the bits of the separate passes
    /// (fill with the bias, accumulate, add, GELU), on one and two threads, for row counts that
    /// split by rows and by columns, and with two k blocks.
    @Test(arguments: [(1, 128, 128), (37, 512, 128), (301, 128, 512), (230, 1536, 384)])
    func epilogueEqualsSeparatePasses(m: Int, n: Int, k: Int) {
        let weights = randomFloats(n * k, seed: 41)
        let packed = PackedMatrix(transposed: true, weights, ldb: k, k: k, n: n)
        let a = randomFloats(m * k, seed: 42)
        let bias = randomFloats(n, seed: 43)
        let residual = randomFloats(m * n, seed: 44)
        for threads in [1, 2] {
            var separate = [Float]()
            for _ in 0..<m { separate += bias }
            Gemm.multiply(transposeA: false, m: m, a: a, lda: k, packed: packed, c: &separate, ldc: n, accumulate: true, threads: threads)
            for index in separate.indices { separate[index] += residual[index] }
            GELU.forward(separate, &separate, count: separate.count)
            var fused = [Float](repeating: .nan, count: m * n)
            bias.withUnsafeBufferPointer { biasRow in
                residual.withUnsafeBufferPointer { residualRows in
                    let epilogue = GemmEpilogue(
                        bias: biasRow.baseAddress!, residual: residualRows.baseAddress!, residualStride: n, gelu: true)
                    Gemm.multiply(
                        transposeA: false, m: m, a: a, lda: k, packed: packed, c: &fused, ldc: n, accumulate: false, epilogue: epilogue,
                        threads: threads)
                }
            }
            #expect(fused == separate, "\(m)x\(n)x\(k) on \(threads) threads")
        }
    }

    @Test func layerNormForwardAndBackward() {
        let rows = 7
        let columns = 45
        let x = randomFloats(rows * columns, seed: 4, scale: 3)
        let gamma = randomFloats(columns, seed: 5)
        let beta = randomFloats(columns, seed: 6)
        let dy = randomFloats(rows * columns, seed: 7)
        var y = [Float](repeating: 0, count: rows * columns), mean = [Float](repeating: 0, count: rows), rstd = mean
        LayerNorm.forward(x, gamma: gamma, beta: beta, y: &y, mean: &mean, rstd: &rstd, rows: rows, columns: columns, epsilon: 1e-12)
        var yd = [Double](repeating: 0, count: rows * columns), meand = [Double](repeating: 0, count: rows), rstdd = meand
        let xd = x.map(Double.init), gd = gamma.map(Double.init), bd = beta.map(Double.init), dyd = dy.map(Double.init)
        Reference.layerNormForward(
            xd, gamma: gd, beta: bd, y: &yd, mean: &meand, rstd: &rstdd, rows: rows, columns: columns, epsilon: 1e-12)
        #expect(maxRelativeError(y, yd) < 1e-5)
        var dx = [Float](repeating: 0, count: rows * columns), dgamma = randomFloats(columns, seed: 8), dbeta = dgamma
        var dxd = [Double](repeating: 0, count: rows * columns), dgammad = dgamma.map(Double.init), dbetad = dbeta.map(Double.init)
        LayerNorm.backward(
            dy: dy, x: x, gamma: gamma, mean: mean, rstd: rstd, dx: &dx, dgamma: &dgamma, dbeta: &dbeta, rows: rows, columns: columns)
        Reference.layerNormBackward(
            dy: dyd, x: xd, gamma: gd, mean: meand, rstd: rstdd, dx: &dxd, dgamma: &dgammad, dbeta: &dbetad, rows: rows, columns: columns)
        #expect(maxRelativeError(dx, dxd) < 1e-5)
        #expect(maxRelativeError(dgamma, dgammad) < 1e-5)
        #expect(maxRelativeError(dbeta, dbetad) < 1e-5)
    }

    @Test func geluForwardAndBackward() {
        let count = 1003
        let x = randomFloats(count, seed: 9, scale: 6)
        let dy = randomFloats(count, seed: 10)
        var y = [Float](repeating: 0, count: count), dx = y
        var yd = [Double](repeating: 0, count: count), dxd = yd
        GELU.forward(x, &y, count: count)
        GELU.backward(x, dy: dy, dx: &dx, count: count)
        Reference.geluForward(x.map(Double.init), &yd, count: count)
        Reference.geluBackward(x.map(Double.init), dy: dy.map(Double.init), dx: &dxd, count: count)
        #expect(maxRelativeError(y, yd) < 1e-6)
        #expect(maxRelativeError(dx, dxd) < 1e-6)
    }

    /// The SIMD column sums add each column's rows in the plain loop's order: equal to the bit,
    /// in Float, for widths that are and are not a multiple of the vector width, onto sums that
    /// already hold values.
    @Test(arguments: [1, 8, 37, 384])
    func columnSumsEqualThePlainLoopToTheBit(columns: Int) {
        let rows = 13
        let x = randomFloats(rows * columns, seed: 21)
        let start = randomFloats(columns, seed: 22)
        var sums = start, plain = start
        ColumnSums.add(x, rows: rows, columns: columns, to: &sums)
        Reference.addColumnSums(x, rows: rows, columns: columns, to: &plain)
        #expect(sums == plain)
        #expect(sums != start)
    }

    @Test func softmaxForwardAndBackward() {
        let rows = 5
        let columns = 37
        let stride = 40
        let scores = randomFloats(rows * stride, seed: 11, scale: 20)
        let dp = randomFloats(rows * stride, seed: 12)
        var p = scores
        var pd = scores.map(Double.init)
        Softmax.forward(&p, rows: rows, columns: columns, stride: stride, scale: 0.7)
        Reference.softmaxForward(&pd, rows: rows, columns: columns, stride: stride, scale: 0.7)
        #expect(maxRelativeError(p, pd) < 1e-6)
        var ds = [Float](repeating: 0, count: rows * stride), dsd = [Double](repeating: 0, count: rows * stride)
        Softmax.backward(p: p, dp: dp, ds: &ds, rows: rows, columns: columns, stride: stride, scale: 0.7)
        Reference.softmaxBackward(p: pd, dp: dp.map(Double.init), ds: &dsd, rows: rows, columns: columns, stride: stride, scale: 0.7)
        #expect(maxRelativeError(ds, dsd) < 1e-6)
    }

    /// One head: L covers one row, partial 6-row tiles, partial vectors and more than 128
    /// positions; D covers whole vectors (32, 64) and a width that is not (24).
    @Test(arguments: [(1, 32), (5, 32), (17, 32), (72, 32), (130, 32), (40, 64), (33, 24)])
    func attentionHeadMatchesReference(length: Int, headSize: Int) {
        let stride = 3 * headSize + 5
        let query = randomFloats(length * stride, seed: 21, scale: 2)
        let key = randomFloats(length * stride, seed: 22, scale: 2)
        let value = randomFloats(length * stride, seed: 23)
        var context = randomFloats(length * stride, seed: 24)
        var expectedContext = context.map(Double.init)
        var probabilities = [Float](repeating: 0, count: length * length)
        var expectedProbabilities = [Double](repeating: 0, count: length * length)
        var scratch = [Float](repeating: .nan, count: AttentionKernel.scratchCount(length: length, headSize: headSize))
        let scale = 1 / Float(headSize).squareRoot()
        AttentionKernel.forward(
            query: query, key: key, value: value, context: &context, stride: stride, length: length, headSize: headSize, scale: scale,
            probabilities: &probabilities, scratch: &scratch)
        Reference.attentionHeadForward(
            query: query.map(Double.init), key: key.map(Double.init), value: value.map(Double.init), context: &expectedContext,
            stride: stride, length: length, headSize: headSize, scale: Double(scale), probabilities: &expectedProbabilities)
        #expect(maxRelativeError(probabilities, expectedProbabilities) < 1e-5, "P, L=\(length) D=\(headSize)")
        // Only each row's D context columns change; the rest of the stride keeps its values.
        #expect(maxRelativeError(context, expectedContext) < 1e-5, "context, L=\(length) D=\(headSize)")
        // Without the probabilities, the same context.
        var contextOnly = randomFloats(length * stride, seed: 24)
        AttentionKernel.forward(
            query: query, key: key, value: value, context: &contextOnly, stride: stride, length: length, headSize: headSize, scale: scale,
            probabilities: nil, scratch: &scratch)
        #expect(contextOnly == context)
    }

    @Test(arguments: [(1, 1, 1), (6, 2, 32), (7, 3, 5), (13, 5, 72), (72, 2, 72), (130, 9, 32)])
    func narrowProductMatchesReference(m: Int, vectors: Int, k: Int) {
        let n = vectors * WideVector.scalarCount
        let (lda, ldb, ldc) = (k + 3, n + 7, n + 2)
        let a = randomFloats(m * lda, seed: 31)
        let b = randomFloats(k * ldb, seed: 32)
        var c = randomFloats(m * ldc, seed: 33)
        var expected = c.map(Double.init)
        Gemm.multiplyNarrow(m: m, n: n, k: k, a: a, lda: lda, b: b, ldb: ldb, c: &c, ldc: ldc)
        Reference.gemm(
            transposeA: false, transposeB: false, m: m, n: n, k: k, a: a.map(Double.init), lda: lda, b: b.map(Double.init), ldb: ldb,
            c: &expected, ldc: ldc, accumulate: false)
        #expect(maxRelativeError(c, expected) < 1e-5, "\(m)x\(n)x\(k)")
    }

    @Test func vectorExpIsAccurateAndUnderflowsToZero() {
        var worst: Float = 0
        for index in 0..<20000 {
            let x = Float(index) / 20000 * 170 - 85
            let got = exp(Vector(repeating: x))[0]
            let expected = Float(Foundation.exp(Double(x)))
            worst = max(worst, abs(got - expected) / expected)
        }
        #expect(worst < 4e-7)
        #expect(exp(Vector(repeating: -1000))[0] == 0)
        #expect(exp(Vector(repeating: -.infinity))[0] == 0)
    }

    /// The vectorized Σ e^(scale·(x − shift)) against the plain sum in Double, for counts that
    /// fill the lanes, leave a tail, and fit in none.
    @Test func sumOfExponentialsMatchesThePlainSum() {
        var random = SeededRandom(seed: 11)
        for count in [0, 1, 7, 8, 9, 1_157] {
            let values = (0..<count).map { _ in Float(random.next() % 20_001) / 10_000 - 1 }
            let got = values.withUnsafeBufferPointer { sumOfExponentials($0.baseAddress!, count: count, scale: 20, shift: 1) }
            let expected = values.reduce(0.0) { $0 + Foundation.exp(20 * (Double($1) - 1)) }
            // The argument 20·(x − 1), down to −40, is rounded to Float (ulp 3.8e-6): e^x inherits that relative error.
            #expect(abs(Double(got) - expected) <= 1e-5 * expected + 1e-30, "\(count): \(got) vs \(expected)")
        }
    }
}

/// Finite differences in Double against each reference backward.
@Suite struct ReferenceGradientTests {
    static func numericGradient(_ values: inout [Double], _ index: Int, _ loss: ([Double]) -> Double) -> Double {
        CentralDifference.derivative(&values, index, loss)
    }

    @Test func layerNormGradients() {
        let rows = 3, columns = 6
        var x = randomFloats(rows * columns, seed: 20, scale: 2).map(Double.init)
        var gamma = randomFloats(columns, seed: 21).map(Double.init)
        let beta = randomFloats(columns, seed: 22).map(Double.init)
        let weights = randomFloats(rows * columns, seed: 23).map(Double.init)
        func loss(_ x: [Double], _ gamma: [Double]) -> Double {
            var y = [Double](repeating: 0, count: rows * columns), mean = [Double](repeating: 0, count: rows), rstd = mean
            Reference.layerNormForward(
                x, gamma: gamma, beta: beta, y: &y, mean: &mean, rstd: &rstd, rows: rows, columns: columns, epsilon: 1e-12)
            return zip(y, weights).map(*).reduce(0, +)
        }
        var y = [Double](repeating: 0, count: rows * columns), mean = [Double](repeating: 0, count: rows), rstd = mean
        Reference.layerNormForward(
            x, gamma: gamma, beta: beta, y: &y, mean: &mean, rstd: &rstd, rows: rows, columns: columns, epsilon: 1e-12)
        var dx = [Double](repeating: 0, count: rows * columns), dgamma = [Double](repeating: 0, count: columns), dbeta = dgamma
        Reference.layerNormBackward(
            dy: weights, x: x, gamma: gamma, mean: mean, rstd: rstd, dx: &dx, dgamma: &dgamma, dbeta: &dbeta, rows: rows, columns: columns)
        for index in 0..<x.count {
            let numeric = Self.numericGradient(&x, index) { loss($0, gamma) }
            #expect(abs(numeric - dx[index]) < 1e-7 * max(1, abs(numeric)), "dx[\(index)]")
        }
        for index in 0..<columns {
            let numeric = Self.numericGradient(&gamma, index) { loss(x, $0) }
            #expect(abs(numeric - dgamma[index]) < 1e-7 * max(1, abs(numeric)), "dgamma[\(index)]")
        }
    }

    @Test func geluAndSoftmaxGradients() {
        var x = randomFloats(9, seed: 30, scale: 3).map(Double.init)
        let weights = randomFloats(9, seed: 31).map(Double.init)
        var dx = [Double](repeating: 0, count: 9)
        Reference.geluBackward(x, dy: weights, dx: &dx, count: 9)
        for index in 0..<9 {
            let numeric = Self.numericGradient(&x, index) { values in
                var y = [Double](repeating: 0, count: 9)
                Reference.geluForward(values, &y, count: 9)
                return zip(y, weights).map(*).reduce(0, +)
            }
            #expect(abs(numeric - dx[index]) < 1e-8)
        }
        var scores = randomFloats(12, seed: 32, scale: 2).map(Double.init)
        let scoreWeights = randomFloats(12, seed: 33).map(Double.init)
        func softmaxLoss(_ s: [Double]) -> Double {
            var p = s
            Reference.softmaxForward(&p, rows: 3, columns: 4, stride: 4, scale: 0.5)
            return zip(p, scoreWeights).map(*).reduce(0, +)
        }
        var p = scores
        Reference.softmaxForward(&p, rows: 3, columns: 4, stride: 4, scale: 0.5)
        var ds = [Double](repeating: 0, count: 12)
        Reference.softmaxBackward(p: p, dp: scoreWeights, ds: &ds, rows: 3, columns: 4, stride: 4, scale: 0.5)
        for index in 0..<12 {
            let numeric = Self.numericGradient(&scores, index, softmaxLoss)
            #expect(abs(numeric - ds[index]) < 1e-8)
        }
    }
}
