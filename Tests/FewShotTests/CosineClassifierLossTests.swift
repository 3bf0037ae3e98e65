import Foundation
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

    /// With fixed offsets (the words' scores) added to the cosines, the gradients still match
    /// central differences, and the loss is the cross-entropy of scale · (cosine + offset)
    /// computed by hand.
    @Test func cosineClassifierWithOffsetsGradientsAndLoss() {
        let (rows, d, classes) = (3, 4, 2)
        var e = CentralDifference.random(rows * d, seed: 19)
        var weight = CentralDifference.random(classes * d, seed: 20)
        let offsets = CentralDifference.random(rows * classes, seed: 21)
        let labels = [1, 0, 1]
        var dWeight = [Double](repeating: 0, count: classes * d), dE = [Double](repeating: 0, count: rows * d)
        let loss = CosineClassifierLoss.evaluate(
            e, rows: rows, dimension: d, labels: labels, classes: classes, scale: 3, weight: weight, dWeight: &dWeight, gradient: &dE,
            offsets: offsets
        ).loss
        var expected = 0.0
        for row in 0..<rows {
            let x = Array(e[row * d..<(row + 1) * d])
            let logits = (0..<classes).map { k -> Double in
                let w = Array(weight[k * d..<(k + 1) * d])
                let cosine = zip(x, w).map(*).reduce(0, +) / w.map { $0 * $0 }.reduce(0, +).squareRoot()
                return 3 * (cosine + offsets[row * classes + k])
            }
            let top = logits.max()!
            expected += top + log(logits.map { exp($0 - top) }.reduce(0, +)) - logits[labels[row]]
        }
        #expect(abs(loss - expected / Double(rows)) < 1e-12)
        var sinkW = dWeight, sinkE = dE
        let forE = CentralDifference.mismatches(&e, analytic: dE) { values in
            CosineClassifierLoss.evaluate(
                values, rows: rows, dimension: d, labels: labels, classes: classes, scale: 3, weight: weight, dWeight: &sinkW,
                gradient: &sinkE, offsets: offsets
            ).loss
        }
        #expect(forE.isEmpty, "\(forE.prefix(5))")
        let forWeight = CentralDifference.mismatches(&weight, analytic: dWeight) { values in
            CosineClassifierLoss.evaluate(
                e, rows: rows, dimension: d, labels: labels, classes: classes, scale: 3, weight: values, dWeight: &sinkW, gradient: &sinkE,
                offsets: offsets
            ).loss
        }
        #expect(forWeight.isEmpty, "\(forWeight.prefix(5))")
    }
}
