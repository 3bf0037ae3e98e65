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

    @Test func fittedTemperatureMinimizesTheLikelihoodOnAGrid() {
        // Noisy scores: some rows rank a wrong label first, so the optimum is finite.
        let scores: [[Float]] = [
            [0.9, 0.5, 0.4], [0.6, 0.7, 0.2], [0.3, 0.8, 0.35], [0.5, 0.45, 0.6], [0.2, 0.3, 0.7], [0.55, 0.5, 0.1],
        ]
        let truth = [0, 0, 1, 2, 2, 1]
        let fitted = TemperatureFit.fit(scores: scores, truth: truth)
        let grid = stride(from: Float(2), through: 100, by: 0.01).min {
            TemperatureFit.negativeLogLikelihood(scores, truth, temperature: $0)
                < TemperatureFit.negativeLogLikelihood(scores, truth, temperature: $1)
        }!
        #expect(abs(fitted - grid) < 0.05, "fitted \(fitted), grid \(grid)")
        // Perfectly separated rows would want T → ∞: the range caps it.
        #expect(TemperatureFit.fit(scores: [[1, 0], [0, 1]], truth: [0, 1]) > 99)
        #expect(TemperatureFit.fit(scores: [], truth: []) == TemperatureFit.fallback)
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
