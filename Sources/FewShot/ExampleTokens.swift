import Tokenization
import Transformer

/// Token ids of index examples for a given model: the index's own ids when the model uses the
/// index's vocabulary, else the stored text re-tokenized with the model's tokenizer (so frozen
/// all-MiniLM-L6-v2 can be evaluated on an index made with our vocabulary).
public enum ExampleTokens {
    public static func ids(of examples: [Int], in index: CorpusIndex, for model: SentenceEncoder) -> [[Int32]] {
        let sameVocabulary = model.tokenizer.vocabulary.fingerprint == index.vocabularyFingerprint
        var scratch = Tokenizer.Scratch()
        var ids: [Int32] = []
        return examples.map { example in
            if sameVocabulary {
                var tokens = index.tokens(of: example).map { Int32(bitPattern: $0) }
                if tokens.count > model.maxLength {
                    tokens.removeSubrange((model.maxLength - 1)..<(tokens.count - 1))
                }
                return tokens
            }
            model.tokenizer.encode(index.text(of: example), maxLength: model.maxLength, into: &ids, scratch: &scratch)
            return ids
        }
    }
}

/// Nearest prototype by cosine: each class's prototype is the mean of its support embeddings
/// (L2-normalized vectors), queries go to the most similar prototype. This is how `fewshot eval`
/// scores any encoder, and what frozen-encoder peers report as "proto".
public struct PrototypeClassifier: EpisodeClassifier {
    /// Row of each example in `embeddings`, -1 if not embedded.
    public let rows: [Int]
    public let embeddings: [Float]
    public let dimension: Int

    /// Embeds every example of the given labels once.
    public init(model: SentenceEncoder, index: CorpusIndex, labels: [Int]) throws {
        let examples = labels.flatMap { index.examplesByLabel[$0] }
        var rows = [Int](repeating: -1, count: index.exampleCount)
        for (row, example) in examples.enumerated() { rows[example] = row }
        self.rows = rows
        embeddings = try model.embed(tokenized: ExampleTokens.ids(of: examples, in: index, for: model))
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

    /// Unit-length rows of a ways × dimension matrix: the prototypes of summed embeddings.
    func normalizedRows(_ sums: [Float]) -> [Float] {
        let d = dimension
        var result = sums
        for start in stride(from: 0, to: result.count, by: d) {
            var norm: Float = 0
            for j in 0..<d { norm += result[start + j] * result[start + j] }
            let scale = 1 / max(norm.squareRoot(), 1e-12)
            for j in 0..<d { result[start + j] *= scale }
        }
        return result
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        let d = dimension
        let prototypes = normalizedRows(supportSums(episode))
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
