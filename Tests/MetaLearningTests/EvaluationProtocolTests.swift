import Corpus
import Foundation
import Testing
import Transformer

@testable import MetaLearning

/// `fewshot eval`'s protocol without the binary: its scopes, its rows, and that the rows are the
/// episodes' own measurements, whatever the number of threads.
@Suite struct EvaluationProtocolTests {
    static var index: CorpusIndex { EpisodeTests.index }

    static func evaluation(family: String?, ways: Int = 3, shots: [Int] = [1, 2]) throws -> EvaluationProtocol {
        try EvaluationProtocol(index: index, split: .test, family: family, ways: ways, shots: shots, queries: 3, episodes: 20, seed: 7)
    }

    @Test func scopesAreOneFamilyAnyFamilyOrEachFamilyWithEnoughLabels() throws {
        #expect(try Self.evaluation(family: "each").scopes == ["alpha", "beta"])
        #expect(try Self.evaluation(family: nil).scopes == [nil])
        #expect(try Self.evaluation(family: "beta").scopes == ["beta"])
        // Each family has 6 test labels: 7-way episodes cannot be drawn.
        #expect(throws: CorpusError.self) { try Self.evaluation(family: "each", ways: 7) }
        #expect(throws: CorpusError.self) { try Self.evaluation(family: "alpha", ways: 7) }
        #expect(throws: CorpusError.self) { try Self.evaluation(family: "gamma") }
        #expect(try Self.evaluation(family: "each").eligibleClasses.map(\.labels.count) == [6, 6])
    }

    @Test func accuracyRowsAreTheEpisodesOfEachCell() throws {
        let evaluation = try Self.evaluation(family: "each")
        let baseline = try TfidfBaseline(index: Self.index)
        var rows: [EvaluationProtocol.AccuracyRow] = []
        try evaluation.accuracy(baseline) { rows.append($0) }
        #expect(rows.map(\.scope) == ["alpha", "alpha", "beta", "beta"] && rows.map(\.shots) == [1, 2, 1, 2])
        for row in rows {
            let expected = Evaluation.run(baseline, sampler: try evaluation.sampler(row.scope, shots: row.shots), episodes: 20)
            #expect(row.summary == expected)
            #expect(row.summary.episodes == 20 && row.seconds >= 0)
        }
    }

    @Test func openSetAndCalibrationRowsDoNotDependOnTheThreadCount() throws {
        let evaluation = try Self.evaluation(family: "each")
        let prototypes = try PrototypeClassifier(
            model: try MetaTrainerTests.model(), index: Self.index, labels: evaluation.eligibleClasses.flatMap(\.labels))
        func measured() throws -> (open: [Double?], ece: [Double], tooFew: Int) {
            var open: [Double?] = []
            try evaluation.openSet(prototypes, unknownClasses: 2) { open.append($0.auroc?.mean) }
            var tooFew = 0
            try evaluation.openSet(prototypes, unknownClasses: 4) { tooFew += $0.auroc == nil ? 1 : 0 }
            return (open, try evaluation.calibration(prototypes, unfitted: 8).map(\.fitted.expectedCalibrationError), tooFew)
        }
        let saved = Parallel.threads
        defer { Parallel.threads = saved }
        Parallel.threads = 1
        let serial = try measured()
        Parallel.threads = 2
        let parallel = try measured()
        #expect(serial.open == parallel.open && serial.ece == parallel.ece)
        #expect(serial.open.count == 4 && serial.open.allSatisfy { $0 != nil })
        // 3 + 4 labels need 7 per family; each has 6.
        #expect(serial.tooFew == 4)
    }
}
