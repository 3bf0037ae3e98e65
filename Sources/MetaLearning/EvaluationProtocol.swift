import Corpus
import FewShot
import Foundation

/// The standard episodic protocol of `fewshot eval`, one table cell at a time: N-way episodes
/// with Q queries per class, drawn from one split of an index, for each shot count and each
/// scope (one family, any family, or every family with enough labels), always the same episodes
/// for a seed. Every measurement returns rows; formatting them is the caller's.
///
/// Labels with at least max(shots) + Q examples are eligible, so every shot count draws from the
/// same classes.
public struct EvaluationProtocol: Sendable {
    public let index: CorpusIndex
    public let split: Split
    public let ways: Int
    public let shots: [Int]
    public let queries: Int
    public let episodes: Int
    public let seed: UInt64
    /// One table block per scope: a family's name, or nil for episodes of any family.
    public let scopes: [String?]

    public var minimumExamples: Int { shots.max()! + queries }

    /// `family`: nil for any family, a family's name, or "each" for one scope per family that
    /// has `ways` eligible labels. Throws when no episode can be drawn.
    public init(
        index: CorpusIndex, split: Split, family: String?, ways: Int, shots: [Int], queries: Int, episodes: Int, seed: UInt64
    ) throws {
        precondition(!shots.isEmpty && shots.allSatisfy { $0 >= 1 } && ways >= 2 && queries >= 1 && episodes >= 1)
        let minimum = shots.max()! + queries
        var scopes: [String?] = [family]
        if family == "each" {
            scopes = EpisodeSampler.eligibleClasses(index: index, split: split, family: nil, labelsNeeded: ways, minimumExamples: minimum)
                .map(\.family)
            guard !scopes.isEmpty else {
                throw CorpusError.notEnoughClasses(
                    "no family of \(index.path) has \(ways) labels with >= \(minimum) examples in split '\(split.rawValue)'")
            }
        } else if let family, !index.families.contains(family) {
            throw CorpusError.notEnoughClasses(
                "the index has no family '\(family)' (it has: \(index.families.joined(separator: ", ")), or 'each')")
        }
        (self.index, self.split, self.ways, self.shots) = (index, split, ways, shots)
        (self.queries, self.episodes, self.seed, self.scopes) = (queries, episodes, seed, scopes)
        // The sampler's own error says why no episode can be drawn.
        if family != "each" { _ = try sampler(family, shots: shots.max()!) }
    }

    /// The episodes of one cell; `unknownClasses` more labels of the family give the unknown
    /// queries of open-set episodes.
    public func sampler(_ scope: String?, shots: Int, unknownClasses: Int = 0) throws -> EpisodeSampler {
        try EpisodeSampler(
            index: index, split: split, family: scope, ways: ways, shots: shots, queries: queries, seed: seed,
            minimumExamples: minimumExamples, unknownClasses: unknownClasses)
    }

    /// The labels episodes can draw, per family of every scope (what an encoder must embed).
    public var eligibleClasses: [(family: String, labels: [Int])] {
        scopes.flatMap {
            EpisodeSampler.eligibleClasses(index: index, split: split, family: $0, labelsNeeded: ways, minimumExamples: minimumExamples)
        }
    }

    /// A row of the accuracy table.
    public struct AccuracyRow: Sendable {
        public let scope: String?
        public let shots: Int
        public let summary: AccuracySummary
        public let seconds: Double
    }

    /// Accuracy of `classifier` in every cell, each row handed to `row` as soon as it is measured;
    /// `progress` hears each cell's episodes done as they finish.
    public func accuracy(
        _ classifier: some EpisodeClassifier, progress: @Sendable (_ scope: String?, _ shots: Int, _ done: Int) -> Void = { _, _, _ in },
        row: (AccuracyRow) throws -> Void
    ) throws {
        for scope in scopes {
            for shot in shots {
                let start = Date()
                let summary = Evaluation.run(classifier, sampler: try sampler(scope, shots: shot), episodes: episodes) {
                    progress(scope, shot, $0)
                }
                try row(AccuracyRow(scope: scope, shots: shot, summary: summary, seconds: Date().timeIntervalSince(start)))
            }
        }
    }

    /// Zero-shot accuracy per scope: the 1-shot episodes' queries classified by `classifier`
    /// (from the label names alone).
    public func zeroShot(_ classifier: some EpisodeClassifier) throws -> [(scope: String?, summary: AccuracySummary)] {
        try scopes.map { ($0, Evaluation.run(classifier, sampler: try sampler($0, shots: 1), episodes: episodes)) }
    }

    /// A row of the open-set table; nil results where the scope has fewer than
    /// `ways + unknownClasses` eligible labels.
    public struct OpenSetRow: Sendable {
        public let scope: String?
        public let shots: Int
        public let auroc: AccuracySummary?
        /// At the threshold fitted on each support set; nil with one example per class.
        public let accuracy: AccuracySummary?
    }

    public func openSet(_ classifier: some EpisodeOpenSetScoring, unknownClasses: Int, row: (OpenSetRow) throws -> Void) throws {
        for scope in scopes {
            let labels = EpisodeSampler.eligibleClasses(
                index: index, split: split, family: scope, labelsNeeded: ways + unknownClasses, minimumExamples: minimumExamples)
            for shot in shots {
                guard !labels.isEmpty else {
                    try row(OpenSetRow(scope: scope, shots: shot, auroc: nil, accuracy: nil))
                    continue
                }
                let sampler = try sampler(scope, shots: shot, unknownClasses: unknownClasses)
                let result = Evaluation.runOpenSet(classifier, sampler: sampler, episodes: episodes)
                try row(OpenSetRow(scope: scope, shots: shot, auroc: result.auroc, accuracy: result.accuracy))
            }
        }
    }

    /// A row of the calibration table.
    public struct CalibrationRow: Sendable {
        public let scope: String?
        public let shots: Int
        /// With the fixed temperature `TemperatureFit.fallback`.
        public let fixed: CalibrationReport
        /// With the temperature fitted on each support set (`unfitted` where none can be).
        public let fitted: CalibrationReport
        public let medianTemperature: Float
    }

    public func calibration(_ classifier: some EpisodeCalibrating, unfitted: Float) throws -> [CalibrationRow] {
        try scopes.flatMap { scope in
            try shots.map { shot in
                let result = Evaluation.runCalibration(
                    classifier, sampler: try sampler(scope, shots: shot), episodes: episodes, unfitted: unfitted)
                return CalibrationRow(
                    scope: scope, shots: shot, fixed: result.fixed, fitted: result.fitted, medianTemperature: result.medianTemperature)
            }
        }
    }
}
