import Corpus
import Embedding
import FewShot
import Foundation
import Transformer

/// Nearest prototype after a per-episode update of the encoder (`eval --finetune-steps`): for
/// each episode the encoder is adapted on the support set (`EncoderAdaptation`, as `train
/// --finetune-steps` adapts it), the support and queries are embedded with the adapted weights,
/// and the weights are put back bit for bit before the next episode. With a lexical weight the
/// scores add the words, as `HybridClassifier` does. This is what an adapted classifier would
/// score on that episode, so the table says whether the update pays.
///
/// Episodes run one at a time (the encoder is shared; its kernels use every core), so the same
/// seed gives the same numbers on any machine with the same kernels.
public final class AdaptedPrototypeClassifier: EpisodeClassifier, @unchecked Sendable {
    let model: SentenceEncoder
    let index: CorpusIndex
    let steps: Int
    let learningRate: Float
    /// The TF-IDF the scores add, times `lexicalWeight` (nil or 0: the adapted embeddings alone).
    let lexical: TfidfBaseline?
    let lexicalWeight: Float
    /// The weights every episode starts from.
    let original: [Float]
    let lock = NSLock()

    public init(
        model: SentenceEncoder, index: CorpusIndex, steps: Int, learningRate: Float, lexical: TfidfBaseline? = nil, lexicalWeight: Float = 0
    ) {
        (self.model, self.index, self.steps, self.learningRate) = (model, index, steps, learningRate)
        (self.lexical, self.lexicalWeight) = (lexicalWeight == 0 ? nil : lexical, lexicalWeight)
        let parameters = model.encoder.parameters
        original = Array(UnsafeBufferPointer(start: parameters.pointer, count: model.encoder.layout.count))
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        scores(episode).map { classQueries in classQueries.map { scores in scores.indices.max { scores[$0] < scores[$1] }! } }
    }

    /// For each class's queries, in order, their cosines to the adapted prototypes.
    func scores(_ episode: Episode) -> [[[Float]]] {
        lock.lock()
        defer { lock.unlock() }
        do {
            defer { restore() }
            return try adaptedScores(episode)
        } catch {
            // An encoder that fails here failed on the same sequences before adaptation too.
            preconditionFailure("adapting the encoder on an episode failed: \(error)")
        }
    }

    func adaptedScores(_ episode: Episode) throws -> [[[Float]]] {
        let d = model.dimension
        let support = episode.support.enumerated().flatMap { position, examples in examples.map { (position, $0) } }
        let supportTokens = ExampleTokens.ids(of: support.map(\.1), in: index, for: model)
        let targets = support.map(\.0)
        func prototypes(_ embeddings: [Float]) -> [Float] {
            Prototypes.normalized(Prototypes.sums(of: embeddings, labels: targets, labelCount: episode.ways, dimension: d), dimension: d)
        }
        try EncoderAdaptation.adapt(
            model.encoder, tokens: supportTokens, targets: targets, classes: episode.ways,
            prototypes: prototypes(try model.embed(tokenized: supportTokens)), steps: steps, learningRate: learningRate,
            headLearningRateFactor: FewShotClassifier.headLearningRateFactor)
        // The support set and the queries through the adapted encoder, in one pass: support rows first.
        let queryTokens = ExampleTokens.ids(of: episode.query.flatMap { $0 }, in: index, for: model)
        let embedded = try model.embed(tokenized: supportTokens + queryTokens)
        let adaptedPrototypes = prototypes(Array(embedded[..<(support.count * d)]))
        let centroids = lexical?.centroids(episode) ?? []
        var row = support.count
        return episode.query.map { classQueries in
            classQueries.map { example in
                defer { row += 1 }
                var scores = Prototypes.cosines(of: embedded, row: row, to: adaptedPrototypes, count: episode.ways, dimension: d)
                if let lexical {
                    let query = lexical.vector(example)
                    for k in scores.indices { scores[k] += lexicalWeight * LexicalTable.dot(query, centroids[k]) }
                }
                return scores
            }
        }
    }

    /// Puts the episode's starting weights back (and tells the encoder its packed copies are stale).
    func restore() {
        model.encoder.parameters.update(from: original, count: original.count)
    }

    /// True when the encoder holds exactly the weights it started with.
    public var holdsOriginalWeights: Bool {
        let parameters = model.encoder.parameters
        return original.withUnsafeBufferPointer { $0.elementsEqual(UnsafeBufferPointer(start: parameters.pointer, count: original.count)) }
    }
}
