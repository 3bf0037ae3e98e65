import Corpus
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
    /// Inverse document frequency by term key.
    let idf: [UInt64: Float]

    public init(index: CorpusIndex, fitSplit: Split = .train, minimumDocumentFrequency: Int = 2) throws {
        self.index = index
        var documentFrequency: [UInt64: Int] = [:]
        var documents = 0
        for label in index.labelIDs(split: fitSplit) {
            for example in index.examplesByLabel[label] {
                documents += 1
                for term in Set(Self.terms(index.tokens(of: example))) { documentFrequency[term, default: 0] += 1 }
            }
        }
        guard documents > 0 else {
            throw CorpusError.noExamples("\(index.path): no \(fitSplit.rawValue) examples to fit TF-IDF on")
        }
        let n = Float(documents)
        var idf: [UInt64: Float] = [:]
        for (term, df) in documentFrequency where df >= minimumDocumentFrequency {
            idf[term] = log((1 + n) / (1 + Float(df))) + 1
        }
        self.idf = idf
    }

    /// Term keys of a token sequence: unigrams `id`, bigrams `(a + 1) << 32 | b`.
    static func terms(_ tokens: UnsafeBufferPointer<UInt32>) -> [UInt64] {
        guard tokens.count > 2 else { return [] }
        let body = tokens[1..<tokens.count - 1]
        var terms = body.map { UInt64($0) }
        for (a, b) in zip(body, body.dropFirst()) { terms.append((UInt64(a) + 1) << 32 | UInt64(b)) }
        return terms
    }

    /// A sparse vector as (term, weight) pairs sorted by term, so sums and dot products run in
    /// a fixed order and results never depend on hashing.
    typealias SparseVector = [(term: UInt64, weight: Float)]

    /// The L2-normalized TF-IDF vector of an example.
    func vector(_ example: Int) -> SparseVector { vector(tokens: index.tokens(of: example)) }

    /// The L2-normalized TF-IDF vector of a token sequence ([CLS] ... [SEP]).
    func vector(tokens: UnsafeBufferPointer<UInt32>) -> SparseVector {
        let terms = Self.terms(tokens).filter { idf[$0] != nil }.sorted()
        var vector: SparseVector = []
        var start = 0
        while start < terms.count {
            var end = start
            while end < terms.count && terms[end] == terms[start] { end += 1 }
            vector.append((terms[start], (1 + log(Float(end - start))) * idf[terms[start]]!))
            start = end
        }
        return Self.normalized(vector)
    }

    static func normalized(_ vector: SparseVector) -> SparseVector {
        var norm: Float = 0
        for entry in vector { norm += entry.weight * entry.weight }
        guard norm > 0 else { return vector }
        let scale = 1 / norm.squareRoot()
        return vector.map { ($0.term, $0.weight * scale) }
    }

    /// The sum of sorted sparse vectors, sorted.
    static func sum(_ vectors: [SparseVector]) -> SparseVector {
        var merged = vectors.flatMap { $0 }
        merged.sort { $0.term < $1.term }
        var result: SparseVector = []
        for entry in merged {
            if let last = result.last, last.term == entry.term {
                result[result.count - 1].weight += entry.weight
            } else {
                result.append(entry)
            }
        }
        return result
    }

    static func dot(_ a: SparseVector, _ b: SparseVector) -> Float {
        var i = 0
        var j = 0
        var total: Float = 0
        while i < a.count && j < b.count {
            if a[i].term == b[j].term {
                total += a[i].weight * b[j].weight
                i += 1
                j += 1
            } else if a[i].term < b[j].term {
                i += 1
            } else {
                j += 1
            }
        }
        return total
    }

    /// Each class's unit-length centroid of its support vectors.
    func centroids(_ episode: Episode) -> [SparseVector] {
        episode.support.map { examples in Self.normalized(Self.sum(examples.map(vector))) }
    }

    public func predict(_ episode: Episode) -> [[Int]] {
        let centroids = centroids(episode)
        return episode.query.map { queries in
            queries.map { example in
                let query = vector(example)
                var best = 0
                var bestScore = -Float.infinity
                for (position, centroid) in centroids.enumerated() {
                    let score = Self.dot(query, centroid)
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
