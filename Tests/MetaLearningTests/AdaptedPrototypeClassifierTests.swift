import Corpus
import Embedding
import FewShot
import Testing

@testable import MetaLearning

/// The per-episode update of `eval --finetune-steps`: a zero step is the prototype classifier,
/// and every episode starts from the same weights.
@Suite struct AdaptedPrototypeClassifierTests {
    static func sampler(shots: Int) throws -> EpisodeSampler {
        try EpisodeSampler(index: EpisodeTests.index, split: .test, ways: 4, shots: shots, queries: 3, seed: 11)
    }

    /// The prototype classifier of `model` on the labels 2-shot episodes of `sampler` draw.
    static func plain(_ model: SentenceEncoder) throws -> PrototypeClassifier {
        let labels = EpisodeSampler.eligibleClasses(
            index: EpisodeTests.index, split: .test, family: nil, labelsNeeded: 4, minimumExamples: 5)
        return try PrototypeClassifier(model: model, index: EpisodeTests.index, labels: labels.flatMap(\.labels))
    }

    @Test func aZeroLearningRateGivesThePrototypeClassifiersScores() throws {
        let model = try MetaTrainerTests.model()
        let sampler = try Self.sampler(shots: 2)
        let plain = try Self.plain(model)
        let adapted = AdaptedPrototypeClassifier(
            model: model, index: EpisodeTests.index, settings: AdaptationSettings(steps: 3, learningRate: 0))
        for number in 0..<8 {
            let episode = sampler.episode(number)
            #expect(adapted.predict(episode) == plain.predict(episode))
            let prototypes = plain.prototypes(episode)
            let expected = episode.query.map { $0.map { plain.cosines($0, to: prototypes, ways: episode.ways) } }
            let scores = adapted.scores(episode)
            #expect(zip(scores.joined(), expected.joined()).allSatisfy { zip($0, $1).allSatisfy { abs($0 - $1) < 1e-5 } })
        }
        #expect(adapted.holdsOriginalWeights)
    }

    @Test func theAutomaticChoiceWithAZeroLearningRateKeepsThePrototypeClassifierInEveryEpisode() throws {
        let model = try MetaTrainerTests.model()
        let sampler = try Self.sampler(shots: 2)
        let plain = try Self.plain(model)
        let adapted = AdaptedPrototypeClassifier(
            model: model, index: EpisodeTests.index, settings: AdaptationSettings(steps: 3, learningRate: 0), choice: .auto)
        for number in 0..<4 {
            let episode = sampler.episode(number)
            #expect(adapted.predict(episode) == plain.predict(episode))
        }
        #expect(adapted.checkedEpisodes == 4 && adapted.keptAdapted == 0)
        #expect(adapted.holdsOriginalWeights)
    }

    @Test func everyEpisodeStartsFromTheSameWeightsAndGivesTheSameScores() throws {
        let model = try MetaTrainerTests.model()
        let sampler = try Self.sampler(shots: 3)
        let adapted = AdaptedPrototypeClassifier(
            model: model, index: EpisodeTests.index, settings: AdaptationSettings(steps: 5, learningRate: 1e-2))
        let first = (0..<4).map { adapted.scores(sampler.episode($0)) }
        #expect(adapted.holdsOriginalWeights, "the weights are put back after each episode")
        // The same episodes again, in another order, give the same scores, bit for bit.
        let again = (0..<4).reversed().map { adapted.scores(sampler.episode($0)) }
        #expect(Array(again.reversed()) == first)
        // The update moves the encoder: the queries' cosines change.
        let plain = AdaptedPrototypeClassifier(
            model: model, index: EpisodeTests.index, settings: AdaptationSettings(steps: 5, learningRate: 0))
        let unadapted = (0..<4).map { plain.scores(sampler.episode($0)) }
        #expect(unadapted != first, "the update changes the scores")
    }
}

extension AdaptedPrototypeClassifierTests {
    @Test func withWordsAZeroLearningRateGivesTheHybridScores() throws {
        let model = try MetaTrainerTests.model()
        let sampler = try Self.sampler(shots: 2)
        let dense = try Self.plain(model)
        let lexical = try TfidfBaseline(index: EpisodeTests.index, fitSplit: .test)
        let hybrid = HybridClassifier(dense: dense, lexical: lexical, lexicalWeight: 1.5)
        let adapted = AdaptedPrototypeClassifier(
            model: model, index: EpisodeTests.index, settings: AdaptationSettings(steps: 2, learningRate: 0), lexical: lexical,
            lexicalWeight: 1.5)
        for number in 0..<6 {
            let episode = sampler.episode(number)
            let scorer = hybrid.queryScorer(episode)
            let expected = episode.query.map { $0.map(scorer) }
            #expect(zip(adapted.scores(episode).joined(), expected.joined()).allSatisfy { zip($0, $1).allSatisfy { abs($0 - $1) < 1e-5 } })
        }
    }
}
