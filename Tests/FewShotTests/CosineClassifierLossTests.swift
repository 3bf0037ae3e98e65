import TestSupport
import Testing

@testable import FewShot

/// The adaptation loss's backward against central differences in Double.
@Suite struct CosineClassifierLossTests {
    @Test func cosineClassifierGradients() {
        let (rows, d, classes) = (4, 3, 3)
        var e = CentralDifference.random(rows * d, seed: 9)
        var weight = CentralDifference.random(classes * d, seed: 10)
        let labels = [0, 2, 1, 2]
        var dWeight = [Double](repeating: 0, count: classes * d), dE = [Double](repeating: 0, count: rows * d)
        _ = CosineClassifierLoss.evaluate(
            e, rows: rows, dimension: d, labels: labels, classes: classes, scale: 3, weight: weight, dWeight: &dWeight, gradient: &dE)
        var sinkW = dWeight, sinkE = dE
        let forE = CentralDifference.mismatches(&e, analytic: dE) { values in
            CosineClassifierLoss.evaluate(
                values, rows: rows, dimension: d, labels: labels, classes: classes, scale: 3, weight: weight, dWeight: &sinkW,
                gradient: &sinkE
            ).loss
        }
        #expect(forE.isEmpty, "\(forE.prefix(5))")
        let forWeight = CentralDifference.mismatches(&weight, analytic: dWeight) { values in
            CosineClassifierLoss.evaluate(
                e, rows: rows, dimension: d, labels: labels, classes: classes, scale: 3, weight: values, dWeight: &sinkW, gradient: &sinkE
            ).loss
        }
        #expect(forWeight.isEmpty, "\(forWeight.prefix(5))")
    }
}
