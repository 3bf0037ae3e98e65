import Embedding
import Foundation
import Storage
import TestSupport
import Testing
import Transformer

@testable import FewShot

/// A classifier on an encoder with background topics: the open-set score is the best score less
/// the line's penalty, the threshold is fitted on the examples' scores less theirs, the
/// probabilities do not change, and the file keeps all of it.
@Suite struct OpenSetBackgroundTests {
    /// The tiny test encoder with 6 seeded unit topics, weight 0.8.
    static func modelWithBackground(weight: Float = 0.8, seed: UInt64 = 3) -> SentenceEncoder {
        let model = ExampleMemoryTests.model
        var random = SeededRandom(seed: seed)
        let d = model.dimension
        let raw = (0..<6 * d).map { _ in Float(random.next() % 2001) / 1000 - 1 }
        model.background = BackgroundTopics(vectors: Prototypes.normalized(raw, dimension: d), dimension: d, weight: weight)
        return model
    }

    static let queries = ["the team scored", "a quiet song", "", "guitars and goals", "bread"].map { Array($0.utf8) }

    @Test func theOpenSetScoreIsTheBestScoreLessThePenalty() throws {
        let model = Self.modelWithBackground()
        let classifier = FewShotClassifier(model: model)
        try classifier.add(ExampleMemoryTests.examples)
        let plain = try ExampleMemoryTests.trained(ExampleMemoryTests.examples)
        let scored = try classifier.classify(lines: Self.queries, openSet: true)
        let unscored = try classifier.classify(lines: Self.queries)
        let embeddings = try model.embed(lines: Self.queries)
        let d = model.dimension
        for (line, prediction) in scored.enumerated() {
            #expect(unscored[line].openSetScore == nil)
            guard !Self.queries[line].isEmpty else {
                #expect(prediction.ranked.isEmpty && prediction.openSetScore == nil)
                continue
            }
            let embedding = embeddings[line * d..<(line + 1) * d]
            let best = Prototypes.cosines(of: Array(embedding), row: 0, to: classifier.prototypes(), count: 3, dimension: d).max()!
            let expected = best - model.background!.penalty(embedding)
            #expect(abs(prediction.openSetScore! - expected) < 1e-5)
            #expect(model.background!.penalty(embedding) != 0)
        }
        // The background changes what the threshold compares, not the probabilities.
        #expect(try plain.classify(lines: Self.queries) == unscored)
        #expect(plain.fit.temperature == classifier.fit.temperature)
    }

    /// The threshold is the one `OpenSetThreshold` fits on the leave-one-out scores with each
    /// example's penalty taken from both of its scores, and differs from the threshold without.
    @Test func theThresholdIsFittedOnTheExamplesScoresLessTheirPenalties() throws {
        let model = Self.modelWithBackground(weight: 2)
        let classifier = FewShotClassifier(model: model)
        try classifier.add(ExampleMemoryTests.examples)
        let memory = try classifier.requireMemory()
        let d = model.dimension
        let labels = memory.memberships.map { $0[0] }
        let scored = TemperatureFit.usable(classifier.leaveOneOutScores(memory), labels: labels, counts: classifier.counts)
        let rows = labels.indices.filter { classifier.counts[labels[$0]] > 1 }
        let penalties = rows.map { model.background!.penalty(memory.embeddings[$0 * d..<($0 + 1) * d]) }
        var shifted: (scores: [[Float]], truth: [Int]) = scored
        for row in shifted.scores.indices { shifted.scores[row] = shifted.scores[row].map { $0 - penalties[row] } }
        #expect(classifier.fit.openSetThreshold == OpenSetThreshold.fitted(shifted))
        #expect(classifier.fit.openSetThreshold == OpenSetThreshold.fitted(scored, penalties: penalties))
        #expect(classifier.fit.openSetThreshold != OpenSetThreshold.fitted(scored))
    }

    /// Saved and loaded, the classifier has the same background, fit and open-set scores; a file
    /// of version 3 (made before backgrounds, none in it) still loads.
    @Test func theFileKeepsTheBackgroundAndVersionThreeStillLoads() throws {
        let classifier = FewShotClassifier(model: Self.modelWithBackground())
        try classifier.add(ExampleMemoryTests.examples)
        let path = try ClassifierFileTests.saved(classifier, "background.fsc")
        let loaded = try FewShotClassifier.load(path)
        #expect(loaded.model.background == classifier.model.background)
        #expect(loaded.fit == classifier.fit)
        let (before, after) = (
            try classifier.classify(lines: Self.queries, openSet: true), try loaded.classify(lines: Self.queries, openSet: true)
        )
        #expect(before.map(\.openSetScore) == after.map(\.openSetScore))
        let plain = try ClassifierFileTests.saved(try ExampleMemoryTests.trained(ExampleMemoryTests.examples), "plain.fsc")
        let versionThree = try TestFiles.withMetadata(plain, "fewshot.extra.classifier.version", "3")
        let old = try FewShotClassifier.load(versionThree)
        let fresh = try FewShotClassifier.load(plain)
        #expect(old.model.background == nil && old.fit == fresh.fit)
    }

    /// An adapted encoder no longer embeds as the background's topics were embedded: it drops
    /// them, and its open-set score is the best score alone. Two classifiers whose encoders have
    /// different backgrounds do not merge.
    @Test func adaptationDropsTheBackgroundAndMergingNeedsTheSameOne() throws {
        let adapted = FewShotClassifier(model: Self.modelWithBackground())
        try adapted.add(ExampleMemoryTests.examples)
        try adapted.adapt(AdaptationSettings(steps: 2), choice: .always)
        #expect(adapted.model.background == nil)
        let mine = FewShotClassifier(model: Self.modelWithBackground(seed: 3))
        try mine.add(ExampleMemoryTests.examples)
        let theirs = FewShotClassifier(model: Self.modelWithBackground(seed: 4))
        try theirs.add(ExampleMemoryTests.examples)
        #expect(throws: ClassifierError.self) { try mine.merge(theirs) }
        let same = FewShotClassifier(model: Self.modelWithBackground(seed: 3))
        try same.add(ExampleMemoryTests.examples)
        try mine.merge(same)
        #expect(mine.counts == [6, 6, 4])
    }
}
