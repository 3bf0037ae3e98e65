import Foundation
import TestSupport
import Testing

@testable import FewShot

@Suite struct LeaveOneOutPrototypeLossTests {
    /// Labels 2 and 3 have one example each: prototypes for the others' queries, no query.
    @Test func gradientsMatchCentralDifferences() {
        let (rows, d) = (7, 3)
        var e = CentralDifference.random(rows * d, seed: 33)
        let labels = [0, 1, 0, 2, 1, 0, 3]
        var dE = [Double](repeating: 0, count: rows * d)
        _ = LeaveOneOutPrototypeLoss.evaluate(e, rows: rows, dimension: d, labels: labels, classes: 4, scale: 2.5, gradient: &dE)
        var sink = dE
        let mismatches = CentralDifference.mismatches(&e, analytic: dE) { values in
            LeaveOneOutPrototypeLoss.evaluate(values, rows: rows, dimension: d, labels: labels, classes: 4, scale: 2.5, gradient: &sink)
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    /// One dimension: rows 0 and 2 of label 0 at 0 and 2, row 1 of label 1 at 1, scale 1. Row 0
    /// meets its label's mean without it (2): logit −4, and label 1's (1): logit −1; row 2 the
    /// same by symmetry; row 1 is alone in its label, so no query. Loss log(1 + e³) each.
    @Test func eachExampleMeetsItsLabelWithoutItself() {
        let e: [Double] = [0, 1, 2]
        var dE = [Double](repeating: 0, count: 3)
        let loss = LeaveOneOutPrototypeLoss.evaluate(e, rows: 3, dimension: 1, labels: [0, 1, 0], classes: 2, scale: 1, gradient: &dE)
        #expect(abs(loss - log(1 + exp(3))) < 1e-12)
        // Descent moves the two queries toward each other, symmetrically about label 1, which
        // gets no net push.
        #expect(dE[0] < 0 && dE[2] > 0 && abs(dE[0] + dE[2]) < 1e-12 && abs(dE[1]) < 1e-12)
    }

    @Test func withoutALabelOfTwoExamplesThereIsNoQuery() {
        let e: [Double] = [1, 0, 0, 1]
        var dE = [Double](repeating: 7, count: 4)
        let loss = LeaveOneOutPrototypeLoss.evaluate(e, rows: 2, dimension: 2, labels: [0, 1], classes: 2, scale: 10, gradient: &dE)
        #expect(loss == 0 && dE == [0, 0, 0, 0])
    }
}
