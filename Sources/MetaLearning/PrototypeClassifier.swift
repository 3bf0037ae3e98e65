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
    /// Per embedded row, what its open-set score loses to the model's background topics
    /// (`BackgroundTopics.penalty`); empty for a model without them. Computed once here, in one
    /// product, instead of again for every episode that meets the example.
    public let openSetPenalties: [Float]

    /// Embeds every example of the given labels once; `progress` hears (done, total).
    public init(model: SentenceEncoder, index: CorpusIndex, labels: [Int], progress: (Int, Int) -> Void = { _, _ in }) throws {
        let examples = labels.flatMap { index.examplesByLabel[$0] }
        var rows = [Int](repeating: -1, count: index.exampleCount)
        for (row, example) in examples.enumerated() { rows[example] = row }
        self.rows = rows
        embeddings = try model.embed(tokenized: ExampleTokens.ids(of: examples, in: index, for: model)) { progress($0, examples.count) }
        dimension = model.dimension
        openSetPenalties = model.background?.penalties(of: embeddings, rows: 0..<examples.count) ?? []
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

    /// The support set as a classifier built from it sees it: its rows' embeddings, each row's
    /// class position, the per-class sums and counts (what the temperature and open-set fits take).
    func supportSet(_ episode: Episode) -> (embeddings: [Float], labels: [Int], sums: [Float], counts: [Int]) {
        let d = dimension
        let support = episode.support.enumerated().flatMap { position, examples in examples.map { (position, $0) } }
        return (
            support.flatMap { embeddings[rows[$0.1] * d..<(rows[$0.1] + 1) * d] }, support.map(\.0), supportSums(episode),
            episode.support.map(\.count)
        )
    }

    /// Cosine of an embedded example to each of the episode's unit prototypes.
    func cosines(_ example: Int, to prototypes: [Float], ways: Int) -> [Float] {
        Prototypes.cosines(of: embeddings, row: rows[example], to: prototypes, count: ways, dimension: dimension)
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        let prototypes = prototypes(episode)
        return episode.query.map { queries in
            queries.map { example in
                let scores = cosines(example, to: prototypes, ways: episode.ways)
                return scores.indices.max { scores[$0] < scores[$1] }!
            }
        }
    }
}
