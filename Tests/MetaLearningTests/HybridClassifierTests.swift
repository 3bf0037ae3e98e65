import Corpus
import Testing

@testable import MetaLearning

/// The hybrid score is the dense one at weight 0 and the TF-IDF one when words dominate.
@Suite struct HybridClassifierTests {
    /// 4-way episodes of `shots` shots from the test labels of `EpisodeTests.index`, with the
    /// prototypes of a fresh encoder and a TF-IDF fitted on those labels.
    static func setting(shots: Int, seed: UInt64) throws -> (EpisodeSampler, PrototypeClassifier, TfidfBaseline) {
        let index = EpisodeTests.index
        let sampler = try EpisodeSampler(index: index, split: .test, ways: 4, shots: shots, queries: 3, seed: seed)
        let labels = EpisodeSampler.eligibleClasses(index: index, split: .test, family: nil, labelsNeeded: 4, minimumExamples: shots + 3)
        let dense = try PrototypeClassifier(model: try MetaTrainerTests.model(), index: index, labels: labels.flatMap(\.labels))
        return (sampler, dense, try TfidfBaseline(index: index, fitSplit: .test))
    }

    @Test func theHybridSpansPrototypesAndTfidf() throws {
        let (sampler, dense, lexical) = try Self.setting(shots: 2, seed: 5)
        for number in 0..<20 {
            let episode = sampler.episode(number)
            #expect(HybridClassifier(dense: dense, lexical: lexical, lexicalWeight: 0).predict(episode) == dense.predict(episode))
            // Cosines are within [-1, 1]: a weight of 1000 leaves the decision to TF-IDF wherever it is not a near tie.
            let hybrid = HybridClassifier(dense: dense, lexical: lexical, lexicalWeight: 1000).predict(episode)
            #expect(Evaluation.accuracy(hybrid, of: episode) == Evaluation.accuracy(lexical.predict(episode), of: episode))
        }
    }
}

extension HybridClassifierTests {
    @Test func theLeaveOneOutWeightIsTheGridPointWithTheBestSupportAccuracy() throws {
        let (sampler, dense, lexical) = try Self.setting(shots: 3, seed: 8)
        let index = EpisodeTests.index
        let grid: [Float] = [0, 0.5, 1, 4]
        let chooser = HybridClassifier(dense: dense, lexical: lexical, weight: .leaveOneOut(grid: grid, prior: 1))
        for number in 0..<10 {
            let episode = sampler.episode(number)
            let (denseScores, lexicalScores, labels) = chooser.leaveOneOutScores(episode)
            #expect(labels.count == 12)
            func correct(_ w: Float) -> Int {
                labels.indices.filter { row in
                    let scores = (0..<4).map { (denseScores[row][$0] ?? -.infinity) + w * lexicalScores[row][$0] }
                    return scores.indices.max { scores[$0] < scores[$1] } == labels[row]
                }.count
            }
            let chosen = chooser.weight(for: episode)
            #expect(grid.contains(chosen) && grid.allSatisfy { correct($0) <= correct(chosen) })
        }
        // One example per class leaves nothing to hold out: the prior.
        let oneShot = try EpisodeSampler(index: index, split: .test, ways: 4, shots: 1, queries: 3, seed: 8)
        #expect(chooser.weight(for: oneShot.episode(0)) == 1)
    }
}
