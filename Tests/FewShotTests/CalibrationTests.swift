import Foundation
import Testing

@testable import FewShot

@Suite struct CalibrationTests {
    @Test func eceIsZeroWhenConfidenceMatchesAccuracyAndMeasuresTheGapOtherwise() {
        var calibrated = CalibrationReport()
        for index in 0..<10 { calibrated.add(confidence: 0.8, correct: index < 8) }
        #expect(abs(calibrated.expectedCalibrationError) < 1e-12)
        var overconfident = CalibrationReport()
        for index in 0..<10 { overconfident.add(confidence: 0.95, correct: index < 5) }
        #expect(abs(overconfident.expectedCalibrationError - 0.45) < 1e-12)
        var both = calibrated
        both.add(overconfident)
        #expect(both.count == 20)
        #expect(abs(both.expectedCalibrationError - 0.225) < 1e-12)
        #expect(both.bins[8].count == 10 && both.bins[9].count == 10)
    }

    /// The temperature that minimizes `objective` on a fine grid, for comparison with the fit.
    static func gridBest(_ scores: [[Float]], _ truth: [Int], _ measure: ([[Float]], [Int], Float) -> Double) -> Float {
        stride(from: Float(2), through: 100, by: 0.01).min { measure(scores, truth, $0) < measure(scores, truth, $1) }!
    }

    @Test func fittedTemperatureMinimizesLikelihoodAndPriorOnAGrid() {
        // Noisy scores: some rows rank a wrong label first, so the optimum is finite.
        let scores: [[Float]] = [
            [0.9, 0.5, 0.4], [0.6, 0.7, 0.2], [0.3, 0.8, 0.35], [0.5, 0.45, 0.6], [0.2, 0.3, 0.7], [0.55, 0.5, 0.1],
        ]
        let truth = [0, 0, 1, 2, 2, 1]
        let fitted = TemperatureFit.fit(scores: scores, truth: truth, prior: TemperatureFit.prior)
        let grid = Self.gridBest(scores, truth) { TemperatureFit.objective($0, $1, temperature: $2, prior: TemperatureFit.prior) }
        #expect(abs(fitted - grid) < 0.05, "fitted \(fitted), grid \(grid)")
        // The likelihood alone wants another T; the prior pulls the fit from it toward its center.
        let likelihoodOnly = Self.gridBest(scores, truth) { TemperatureFit.negativeLogLikelihood($0, $1, temperature: $2) }
        let center = TemperatureFit.prior.center
        #expect(abs(log(fitted / center)) < abs(log(likelihoodOnly / center)), "\(fitted) vs \(likelihoodOnly)")
        #expect(min(likelihoodOnly, center) <= fitted && fitted <= max(likelihoodOnly, center))
        // With many examples saying the same, the prior weighs almost nothing.
        let many = TemperatureFit.fit(
            scores: Array(repeating: scores, count: 200).flatMap { $0 }, truth: Array(repeating: truth, count: 200).flatMap { $0 },
            prior: TemperatureFit.prior)
        #expect(abs(log(many / likelihoodOnly)) < 0.01, "\(many) vs \(likelihoodOnly)")
        // Without a prior (an adapted encoder's scores), the likelihood alone.
        #expect(abs(TemperatureFit.fit(scores: scores, truth: truth, prior: nil) - likelihoodOnly) < 0.05)
        #expect(TemperatureFit.fit(scores: [], truth: [], prior: TemperatureFit.prior) == TemperatureFit.unfitted)
    }

    @Test func separatedExamplesGetAFiniteTemperatureThatGrowsWithTheirNumber() {
        // Perfectly separated rows would want T → ∞ by likelihood alone; the prior keeps it
        // finite, and more such rows earn a larger T (capped by the range).
        let two = TemperatureFit.fit(scores: [[1, 0], [0, 1]], truth: [0, 1], prior: TemperatureFit.prior)
        let forty = TemperatureFit.fit(
            scores: Array(repeating: [[1, 0], [0, 1]], count: 20).flatMap { $0 },
            truth: Array(repeating: [0, 1], count: 20).flatMap { $0 },
            prior: TemperatureFit.prior)
        #expect(two > TemperatureFit.prior.center && two < 100, "\(two)")
        #expect(TemperatureFit.fit(scores: [[1, 0], [0, 1]], truth: [0, 1], prior: nil) > 99)
        #expect(forty > two && forty <= TemperatureFit.range.upperBound, "\(forty)")
    }

    @Test func leaveOneOutScoresHoldOutTheExampleFromItsOwnPrototype() {
        // Two labels in 2-d: label 0 has examples (1,0) and (0,1); label 1 has (1,0).
        let embeddings: [Float] = [1, 0, 0, 1, 1, 0]
        let labels = [0, 0, 1]
        let sums: [Float] = [1, 1, 1, 0]
        let result = TemperatureFit.leaveOneOutScores(embeddings: embeddings, labels: labels, sums: sums, counts: [2, 1], dimension: 2)
        // The single example of label 1 gives no score; each example of label 0 meets the other one.
        #expect(result.truth == [0, 0])
        #expect(result.scores[0] == [0, 1])
        #expect(result.scores[1] == [0, 0])
    }
}

@Suite struct OpenSetThresholdTests {
    @Test func theThresholdSeparatesKnownFromUnknownScores() {
        let t = OpenSetThreshold.separating(known: [0.8, 0.9, 0.7, 0.75], unknown: [0.2, 0.3, 0.5, 0.45])
        #expect(t > 0.5 && t < 0.7)
        // Overlap: 0.35 and 0.45 both keep 7 of 8 on the right side (balanced accuracy 0.875); the lower wins.
        let overlapping = OpenSetThreshold.separating(known: [0.6, 0.7, 0.8, 0.4], unknown: [0.5, 0.3, 0.2, 0.1])
        #expect(abs(overlapping - 0.35) < 1e-6)
    }

    @Test func noThresholdWithOneExamplePerLabelOrOneLabel() {
        // Two labels, one unit-length example each: nothing stands for a known line.
        let single = OpenSetThreshold.fitted(embeddings: [1, 0, 0, 1], labels: [0, 1], sums: [1, 0, 0, 1], counts: [1, 1], dimension: 2)
        #expect(single == nil)
        let oneLabel = OpenSetThreshold.fitted(embeddings: [1, 0, 0.8, 0.6], labels: [0, 0], sums: [1.8, 0.6], counts: [2], dimension: 2)
        #expect(oneLabel == nil)
    }

    @Test func examplesNearTheirOwnLabelGiveAThresholdBetweenOwnAndOtherSimilarities() {
        // Label 0 near (1, 0), label 1 near (0, 1): own leave-one-out similarities are high, other-label ones low.
        let rows: [[Float]] = [[1, 0.1], [0.9, 0.2], [1, 0], [0.1, 1], [0.2, 0.9], [0, 1]]
        let embeddings = rows.flatMap { row -> [Float] in
            let norm = (row[0] * row[0] + row[1] * row[1]).squareRoot()
            return row.map { $0 / norm }
        }
        let labels = [0, 0, 0, 1, 1, 1]
        var sums = [Float](repeating: 0, count: 4)
        for (row, label) in labels.enumerated() {
            for j in 0..<2 { sums[label * 2 + j] += embeddings[row * 2 + j] }
        }
        let t = OpenSetThreshold.fitted(embeddings: embeddings, labels: labels, sums: sums, counts: [3, 3], dimension: 2)
        #expect(t != nil && t! > 0.4 && t! < 0.95)
    }
}
