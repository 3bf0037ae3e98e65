import Corpus
import Embedding

/// Nearest prototype by cosine: each class's prototype is the mean of its support embeddings
/// (L2-normalized vectors), queries go to the most similar prototype. This is how `fewshot eval`
/// scores any encoder, and what frozen-encoder peers report as "proto".
public struct PrototypeClassifier: EpisodeClassifier {
    /// Row of each example in `embeddings`, -1 if not embedded.
    public let rows: [Int]
    public let embeddings: [Float]
    public let dimension: Int

    /// Embeds every example of the given labels once; `progress` hears (done, total).
    public init(model: SentenceEncoder, index: CorpusIndex, labels: [Int], progress: (Int, Int) -> Void = { _, _ in }) throws {
        let examples = labels.flatMap { index.examplesByLabel[$0] }
        var rows = [Int](repeating: -1, count: index.exampleCount)
        for (row, example) in examples.enumerated() { rows[example] = row }
        self.rows = rows
        embeddings = try model.embed(tokenized: ExampleTokens.ids(of: examples, in: index, for: model)) { progress($0, examples.count) }
        dimension = model.dimension
    }

    /// Each class's summed support embeddings (ways × dimension), before normalization.
    func supportSums(_ episode: Episode) -> [Float] {
        let d = dimension
        var sums = [Float](repeating: 0, count: episode.ways * d)
        for (position, support) in episode.support.enumerated() {
            for example in support {
                let row = rows[example] * d
                for j in 0..<d { sums[position * d + j] += embeddings[row + j] }
            }
        }
        return sums
    }

    /// The episode's unit-length prototypes (ways × dimension).
    func prototypes(_ episode: Episode) -> [Float] {
        Prototypes.normalized(supportSums(episode), dimension: dimension)
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        let d = dimension
        let prototypes = prototypes(episode)
        return episode.query.map { queries in
            queries.map { example in
                let row = rows[example] * d
                var best = 0
                var bestScore = -Float.infinity
                for position in 0..<episode.ways {
                    var score: Float = 0
                    for j in 0..<d { score += embeddings[row + j] * prototypes[position * d + j] }
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
