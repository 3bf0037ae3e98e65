import Corpus
import Testing

@testable import MetaLearning

/// The hybrid score is the dense one at weight 0 and the TF-IDF one when words dominate.
@Suite struct HybridClassifierTests {
    @Test func theHybridSpansPrototypesAndTfidf() throws {
        let index = EpisodeTests.index
        let sampler = try EpisodeSampler(index: index, split: .test, ways: 4, shots: 2, queries: 3, seed: 5)
        let evaluation = try EvaluationProtocol(
            index: index, split: .test, family: nil, ways: 4, shots: [2], queries: 3, episodes: 1, seed: 5)
        let dense = try PrototypeClassifier(
            model: try MetaTrainerTests.model(), index: index, labels: evaluation.eligibleClasses.flatMap(\.labels))
        let lexical = try TfidfBaseline(index: index, fitSplit: .test)
        for number in 0..<20 {
            let episode = sampler.episode(number)
            #expect(HybridClassifier(dense: dense, lexical: lexical, lexicalWeight: 0).predict(episode) == dense.predict(episode))
            // Cosines are within [-1, 1]: a weight of 1000 leaves the decision to TF-IDF wherever it is not a near tie.
            let hybrid = HybridClassifier(dense: dense, lexical: lexical, lexicalWeight: 1000).predict(episode)
            #expect(Evaluation.accuracy(hybrid, of: episode) == Evaluation.accuracy(lexical.predict(episode), of: episode))
        }
    }
}
