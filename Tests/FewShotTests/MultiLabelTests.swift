import Testing

@testable import FewShot

@Suite struct MultiLabelTests {
    @Test func reportCountsMicroMacroSubsetAndHamming() {
        let report = MultiLabelReport(
            truth: [["a", "b"], ["a"], ["c"]], predicted: [["a"], ["a", "c"], ["c"]], classifierLabels: ["a", "b", "c"])
        // Decisions: a: tp 2; b: fn 1; c: tp 1, fp 1. Micro-F1 = 2·3 / (2·3 + 1 + 1) = 0.75.
        #expect(abs(report.microF1 - 0.75) < 1e-12)
        // Per label F1: a 1, b 0, c 2/3; macro over labels present in the truth.
        #expect(abs(report.macroF1 - (1 + 0 + 2.0 / 3) / 3) < 1e-12)
        #expect(abs(report.subsetAccuracy - 1.0 / 3) < 1e-12)
        #expect(abs(report.hammingLoss - 2.0 / 9) < 1e-12)
    }

    @Test func thresholdsSeparateMembersAndSlopeIsFittedWithinItsRange() {
        // Label 0's members score high, non-members low; label 1 the other way round.
        let scores: [[Float?]] = [[0.9, 0.1], [0.8, 0.2], [0.2, 0.85], [0.1, 0.9]]
        let memberships = [[0], [0], [1], [1]]
        let thresholds = MultiLabelFit.thresholds(scores: scores, memberships: memberships, labelCount: 2)
        #expect(thresholds.allSatisfy { $0 != nil && $0! > 0.2 && $0! < 0.8 })
        let slope = MultiLabelFit.slope(scores: scores, memberships: memberships, thresholds: thresholds.map { $0! })
        #expect(slope >= 1 && slope <= 200)
        #expect(MultiLabelFit.probability(cosine: thresholds[0]!, threshold: thresholds[0]!, slope: slope) == 0.5)
        // A label no example lacks allows no threshold.
        #expect(MultiLabelFit.thresholds(scores: [[0.9], [0.8]], memberships: [[0], [0]], labelCount: 1) == [nil])
    }
}
