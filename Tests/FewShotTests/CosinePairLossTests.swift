import TestSupport
import Testing

@testable import FewShot

/// SetFit's pair loss: its backward against central differences in Double, and what it weighs.
@Suite struct CosinePairLossTests {
    @Test func pairLossGradientsMatchCentralDifferences() {
        let (rows, d) = (5, 3)
        var e = CentralDifference.random(rows * d, seed: 21)
        let labels = [0, 1, 0, 2, 1]
        var dE = [Double](repeating: 0, count: rows * d)
        _ = CosinePairLoss.evaluate(e, rows: rows, dimension: d, labels: labels, gradient: &dE)
        var sink = dE
        let mismatches = CentralDifference.mismatches(&e, analytic: dE) { values in
            CosinePairLoss.evaluate(values, rows: rows, dimension: d, labels: labels, gradient: &sink)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func sameAndDifferentLabelPairsEachWeighHalf() {
        // Three unit rows: a and a' (label 0) at cosine 0, b (label 1) equal to a. The one same-label
        // pair misses by 1 and weighs 1/2; of the two different-label pairs one misses by 1 and they
        // weigh 1/4 each: 1/2 + 1/4.
        let e: [Double] = [1, 0, 0, 1, 1, 0]
        var dE = [Double](repeating: 0, count: 6)
        let loss = CosinePairLoss.evaluate(e, rows: 3, dimension: 2, labels: [0, 0, 1], gradient: &dE)
        #expect(abs(loss - 0.75) < 1e-12)
    }

    @Test func oneExamplePerLabelWeighsTheDifferentLabelPairsAlone() {
        let e: [Double] = [1, 0, 1, 0]
        var dE = [Double](repeating: 0, count: 4)
        let loss = CosinePairLoss.evaluate(e, rows: 2, dimension: 2, labels: [0, 1], gradient: &dE)
        #expect(abs(loss - 1) < 1e-12)
    }
}
