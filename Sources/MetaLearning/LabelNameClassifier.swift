import Corpus
import Embedding
import FewShot

/// Zero-shot episodes: each class's prototype is the embedding of its label name read as
/// words (`LabelDescriptions.words(ofName:)`), not of support examples. How well a model can
/// classify from label names alone (`fewshot eval --zero-shot`).
public struct LabelNameClassifier: EpisodeClassifier {
    let queries: PrototypeClassifier
    /// Embedding of each label id's name (row `label` × dimension).
    let names: [Float]

    /// - Parameters:
    ///   - queries: the episodes' examples, already embedded by `model`.
    public init(queries: PrototypeClassifier, model: SentenceEncoder, index: CorpusIndex) throws {
        precondition(queries.dimension == model.dimension, "queries embedded by another model")
        self.queries = queries
        names = try model.embed(index.labels.map { LabelDescriptions.words(ofName: $0.name) })
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        let d = queries.dimension
        return episode.query.map { examples in
            examples.map { example in
                let row = queries.rows[example] * d
                var best = 0
                var bestScore = -Float.infinity
                for (position, label) in episode.classes.enumerated() {
                    var score: Float = 0
                    for j in 0..<d { score += queries.embeddings[row + j] * names[label * d + j] }
                    if score > bestScore {
                        bestScore = score
                        best = position
                    }
                }
                return best
            }
        }
    }
}
