import Foundation
import Storage
import Transformer

/// The words half of the hybrid score: TF-IDF vectors of token sequences, with the inverse
/// document frequencies of a background corpus (the meta-train text), so that a rare word the
/// examples share counts for more than "the".
///
/// Terms are the WordPiece ids of a sequence and pairs of adjacent ids (unigrams and bigrams;
/// [CLS] and [SEP] excluded), weighted by sublinear term frequency (1 + ln tf) times the smoothed
/// inverse document frequency ln((1 + n) / (1 + df)) + 1; terms in fewer than
/// `minimumDocumentFrequency` background documents are dropped. Vectors are L2-normalized and
/// sorted by term, so sums and dot products run in a fixed order.
///
/// Stored beside an encoder's weights as two tensors, the sorted term keys and their IDF, and
/// looked up by binary search (nothing to build when a file loads).
public struct LexicalTable: Sendable, Equatable {
    /// Sorted term keys: unigrams `id`, bigrams `(a + 1) << 32 | b`.
    public let terms: [UInt64]
    /// The IDF of each term.
    public let idf: [Float]
    /// Background documents the table was fitted on.
    public let documents: Int
    /// The weight of the lexical score beside the dense one, chosen on validation topics for the
    /// encoder the table is stored with (`fewshot eval --lexical`).
    public var weight: Float = 1
    /// Finds a term's IDF (derived from `terms` and `idf`).
    let index: TermIndex

    public typealias Vector = [(term: UInt64, weight: Float)]

    /// `terms` strictly ascending (as `fitted` makes them and `load` checks), one positive IDF each.
    public init(terms: [UInt64], idf: [Float], documents: Int) {
        precondition(terms.count == idf.count)
        precondition(idf.allSatisfy { $0 > 0 }, "an IDF is at least 1 as fitted, and positive as loaded")
        precondition(zip(terms, terms.dropFirst()).allSatisfy { $0 < $1 }, "lexical terms must be strictly ascending")
        self.terms = terms
        self.idf = idf
        self.documents = documents
        index = TermIndex(sortedTerms: terms, idf: idf)
    }

    /// The table of these background documents (token sequences with [CLS] and [SEP]).
    public static func fitted(documents: [[Int32]], minimumDocumentFrequency: Int = 2) -> LexicalTable {
        fitted(termsOf: documents.lazy.map(terms), minimumDocumentFrequency: minimumDocumentFrequency)
    }

    /// The same for documents given by their term keys.
    public static func fitted(termsOf documents: some Sequence<[UInt64]>, minimumDocumentFrequency: Int = 2) -> LexicalTable {
        var documentFrequency: [UInt64: Int] = [:]
        var count = 0
        for terms in documents {
            count += 1
            for term in Set(terms) { documentFrequency[term, default: 0] += 1 }
        }
        let n = Float(count)
        let kept = documentFrequency.filter { $0.value >= minimumDocumentFrequency }.sorted { $0.key < $1.key }
        return LexicalTable(terms: kept.map(\.key), idf: kept.map { log((1 + n) / (1 + Float($0.value))) + 1 }, documents: count)
    }

    /// Term keys of a token sequence ([CLS] ... [SEP]): unigrams, then bigrams. Written for the
    /// two concrete token types (the model's and the index's): a generic version, called across
    /// modules, ran unspecialized and cost classify 15% of its lines/s.
    public static func terms(_ tokens: [Int32]) -> [UInt64] {
        tokens.withUnsafeBufferPointer { ids in terms(count: ids.count) { UInt64(UInt32(bitPattern: ids[$0])) } }
    }

    public static func terms(_ tokens: UnsafeBufferPointer<UInt32>) -> [UInt64] {
        terms(count: tokens.count) { UInt64(tokens[$0]) }
    }

    @inline(__always)
    static func terms(count: Int, _ id: (Int) -> UInt64) -> [UInt64] {
        guard count > 2 else { return [] }
        var terms = [UInt64]()
        terms.reserveCapacity(2 * count - 5)
        for position in 1..<count - 1 { terms.append(id(position)) }
        for position in 1..<count - 2 { terms.append((id(position) + 1) << 32 | id(position + 1)) }
        return terms
    }

    /// The IDF of a term, or nil if the background has too few documents with it.
    public func idf(of term: UInt64) -> Float? {
        index.idf(of: term)
    }

    /// The L2-normalized TF-IDF vector of a token sequence ([CLS] ... [SEP]).
    public func vector(_ tokens: [Int32]) -> Vector { vector(terms: Self.terms(tokens)) }

    public func vector(_ tokens: UnsafeBufferPointer<UInt32>) -> Vector { vector(terms: Self.terms(tokens)) }

    /// The L2-normalized TF-IDF vector of these term keys (with repeats). The keys are sorted
    /// as they are and each distinct one looked up once (sorting (term, IDF) pairs through a
    /// closure, every repeat looked up, was a sixth of a static model's classify time).
    func vector(terms: [UInt64]) -> Vector {
        let sorted = terms.sorted()
        var vector: Vector = []
        vector.reserveCapacity(sorted.count)
        var start = 0
        while start < sorted.count {
            var end = start + 1
            while end < sorted.count && sorted[end] == sorted[start] { end += 1 }
            if let value = idf(of: sorted[start]) {
                // Sublinear frequency: 1 + ln 1 is 1, so a single occurrence weighs its IDF exactly.
                vector.append((sorted[start], end - start == 1 ? value : (1 + log(Float(end - start))) * value))
            }
            start = end
        }
        return Self.normalized(vector)
    }

    public static func normalized(_ vector: Vector) -> Vector {
        var norm: Float = 0
        for entry in vector { norm += entry.weight * entry.weight }
        guard norm > 0 else { return vector }
        let scale = 1 / norm.squareRoot()
        var scaled = vector
        for index in scaled.indices { scaled[index].weight *= scale }
        return scaled
    }

    /// The sum of sorted vectors, sorted.
    public static func sum(_ vectors: [Vector]) -> Vector {
        var merged = vectors.flatMap { $0 }
        merged.sort { $0.term < $1.term }
        var result: Vector = []
        for entry in merged {
            if let last = result.last, last.term == entry.term {
                result[result.count - 1].weight += entry.weight
            } else {
                result.append(entry)
            }
        }
        return result
    }

    /// The cosine of `vector`, one of the `count` unit vectors summed in `sum`, to the direction
    /// of the others, rescaled to the cosine a new vector is expected to have with the direction
    /// of all of them (`Prototypes.heldOutScale`): the words' half of a held-out score.
    public static func heldOutCosine(_ vector: Vector, from sum: Vector, count: Int) -> Float {
        var squared: Float = 0
        for entry in sum { squared += entry.weight * entry.weight }
        let held = normalized(Self.sum([sum, vector.map { ($0.term, -$0.weight) }]))
        return dot(vector, held) * Prototypes.heldOutScale(sumNormSquared: squared, count: count)
    }

    public static func dot(_ a: Vector, _ b: Vector) -> Float {
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

    // MARK: file

    static let termsTensor = "lexical.terms"
    static let idfTensor = "lexical.idf"
    static let documentsKey = "lexical.documents"
    static let weightKey = "lexical.weight"

    /// Hands the table's tensors and metadata entry to `body` (which writes them).
    public func withOutputs<Result>(_ body: ([SafeTensors.Output], [String: String]) throws -> Result) rethrows -> Result {
        try idf.withUnsafeBufferPointer { values in
            try body(
                [
                    SafeTensors.Output(name: Self.termsTensor, integers: terms.map { Int64(bitPattern: $0) }),
                    SafeTensors.Output(name: Self.idfTensor, shape: [idf.count], values: values),
                ], [Self.documentsKey: String(documents), Self.weightKey: String(weight)])
        }
    }

    /// The table stored in `file`, or nil if it has none; a damaged one is refused.
    public static func load(from file: SafeTensors.File, metadata: [String: String]) throws -> LexicalTable? {
        guard file.tensors[termsTensor] != nil else { return nil }
        func corrupted(_ detail: String) -> StorageError { .corrupted(path: file.path, detail: "lexical table: " + detail) }
        let terms = try file.integers(termsTensor).map { UInt64(bitPattern: Int64($0)) }
        guard let info = file.tensors[idfTensor], info.count == terms.count else { throw corrupted("no IDF for each term") }
        var idf = [Float](repeating: 0, count: terms.count)
        if !terms.isEmpty { try file.read(idfTensor, into: &idf) }
        guard zip(terms, terms.dropFirst()).allSatisfy({ $0 < $1 }), idf.allSatisfy({ $0.isFinite && $0 > 0 }),
            let documents = metadata[documentsKey].flatMap(Int.init), documents >= 0,
            let weight = metadata[weightKey].flatMap(Float.init), weight.isFinite, weight >= 0
        else { throw corrupted("terms out of order, IDF not positive, or no document count or weight") }
        var table = LexicalTable(terms: terms, idf: idf, documents: documents)
        table.weight = weight
        return table
    }
}
