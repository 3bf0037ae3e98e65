import Corpus
import Embedding
import Tokenization

/// The zero-shot floor: queries go to the label whose name (read as words, tokenized with the
/// index's vocabulary) has the most similar TF-IDF vector. A query sharing no term with any
/// name scores 0 everywhere and goes to the first class, as a tie would.
public struct TfidfLabelNameClassifier: EpisodeClassifier {
    let baseline: TfidfBaseline
    let names: [TfidfBaseline.SparseVector]

    /// - Parameter tokenizer: the index's vocabulary (TF-IDF weights are per token id).
    public init(baseline: TfidfBaseline, tokenizer: Tokenizer, index: CorpusIndex) throws {
        try index.requireVocabulary(tokenizer.vocabulary)
        self.baseline = baseline
        names = index.labels.map { label in
            let ids = tokenizer.encode(LabelDescriptions.words(ofName: label.name), maxLength: index.maxLength).map {
                UInt32(bitPattern: $0)
            }
            return ids.withUnsafeBufferPointer { baseline.vector(tokens: $0) }
        }
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        episode.query.map { queries in
            queries.map { example in
                let query = baseline.vector(example)
                var best = 0
                var bestScore = -Float.infinity
                for (position, label) in episode.classes.enumerated() {
                    let score = LexicalTable.dot(query, names[label])
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
