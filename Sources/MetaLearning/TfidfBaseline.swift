import Corpus
import Embedding
import Foundation

/// The no-training floor: TF-IDF vectors and the nearest class centroid by cosine.
///
/// Terms are the WordPiece ids of each example and pairs of adjacent ids (unigrams and
/// bigrams; [CLS] and [SEP] excluded), weighted by sublinear term frequency (1 + ln tf) times the
/// smoothed inverse document frequency ln((1 + n) / (1 + df)) + 1, fitted on the meta-train
/// split; terms in fewer than 2 meta-train documents are dropped. Vectors are L2-normalized;
/// a class centroid is the mean of its support vectors.
public struct TfidfBaseline: EpisodeClassifier {
    let index: CorpusIndex
    /// The terms and their IDF (`LexicalTable`: the same features the hybrid score uses).
    public let table: LexicalTable

    public init(index: CorpusIndex, fitSplit: Split = .train, minimumDocumentFrequency: Int = 2) throws {
        self.index = index
        let examples = index.exampleIDs(split: fitSplit)
        guard !examples.isEmpty else {
            throw CorpusError.noExamples("\(index.path): no \(fitSplit.rawValue) examples to fit TF-IDF on")
        }
        modelVectors = nil
        table = LexicalTable.fitted(
            termsOf: examples.lazy.map { LexicalTable.terms(index.tokens(of: $0)) }, minimumDocumentFrequency: minimumDocumentFrequency)
    }

    /// The vectors of the examples as a model tokenizes them, when they are not the index's own
    /// token ids (nil: the index's ids).
    let modelVectors: [Int: SparseVector]?

    /// A model's lexicon on the examples of `labels`, tokenized as that model tokenizes them
    /// (`ExampleTokens`: re-tokenized when the index has another vocabulary): the words of the
    /// hybrid score exactly as 'fewshot train' and 'classify' compute them.
    public init(lexicon: LexicalTable, model: SentenceEncoder, index: CorpusIndex, labels: [Int]) {
        self.index = index
        table = lexicon
        let examples = labels.flatMap { index.examplesByLabel[$0] }
        let tokens = ExampleTokens.ids(of: examples, in: index, for: model)
        modelVectors = Dictionary(uniqueKeysWithValues: zip(examples, tokens.map(lexicon.vector)))
    }

    typealias SparseVector = LexicalTable.Vector

    /// The L2-normalized TF-IDF vector of an example.
    func vector(_ example: Int) -> SparseVector { modelVectors?[example] ?? table.vector(index.tokens(of: example)) }

    /// The L2-normalized TF-IDF vector of a token sequence ([CLS] ... [SEP]).
    func vector(tokens: UnsafeBufferPointer<UInt32>) -> SparseVector { table.vector(tokens) }

    /// Each class's unit-length centroid of its support vectors.
    func centroids(_ episode: Episode) -> [SparseVector] {
        episode.support.map { examples in LexicalTable.normalized(LexicalTable.sum(examples.map(vector))) }
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        let centroids = centroids(episode)
        return episode.query.map { queries in
            queries.map { example in
                let query = vector(example)
                var best = 0
                var bestScore = -Float.infinity
                for (position, centroid) in centroids.enumerated() {
                    let score = LexicalTable.dot(query, centroid)
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
