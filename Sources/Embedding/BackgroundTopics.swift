import Foundation
import Storage
import Transformer

/// "Something else", for the open-set score: the unit prototypes of the topics an encoder was
/// meta-trained on, stored beside its weights (`fewshot convert --background`).
///
/// A line's best score for a classifier's labels says how close it is to them, but also how
/// typical it is: a line in a crowded part of the embedding space scores high against any
/// prototype, one of a rare kind scores low even under its own label. Its closeness to topics the
/// user never named measures that typicality, so the open-set score is the best score minus
/// `weight` times the closeness. The closeness is a soft maximum of the cosines to the topics,
/// 1 + ln Σ exp(s · (cos − 1)) / s with s = `sharpness`: the nearest topics count, and several
/// near ones count more than one.
///
/// The vectors are embeddings of this encoder: a change of its weights (meta-training,
/// `--layers`, a per-task adaptation) makes them stale, so those drop them.
public struct BackgroundTopics: Sendable, Equatable {
    /// s of the soft maximum (chosen on validation topics, with the weight).
    public static let sharpness: Float = 20

    /// Unit rows, topics × dimension.
    public let vectors: [Float]
    public let dimension: Int
    /// How much the closeness counts against the best score (0: not at all).
    public var weight: Float

    public var count: Int { vectors.count / dimension }

    public init(vectors: [Float], dimension: Int, weight: Float) {
        precondition(dimension > 0 && !vectors.isEmpty && vectors.count % dimension == 0)
        (self.vectors, self.dimension, self.weight) = (vectors, dimension, weight)
    }

    /// The topics of these embeddings (unit rows, `labels[row]` in 0..<labelCount): each label's
    /// prototype, labels without rows left out.
    public static func fitted(embeddings: [Float], labels: [Int], labelCount: Int, dimension d: Int, weight: Float)
        -> BackgroundTopics
    {
        var sums = [Float](repeating: 0, count: labelCount * d)
        var counts = [Int](repeating: 0, count: labelCount)
        Prototypes.add(embeddings, memberships: labels.map { [$0] }, dimension: d, into: &sums, counts: &counts)
        let used = counts.indices.filter { counts[$0] > 0 }
        let kept = used.flatMap { sums[$0 * d..<($0 + 1) * d] }
        return BackgroundTopics(vectors: Prototypes.normalized(kept, dimension: d), dimension: d, weight: weight)
    }

    /// The soft maximum of a unit embedding's cosines to the topics.
    public func closeness(_ embedding: ArraySlice<Float>) -> Float {
        precondition(embedding.count == dimension)
        return closeness(of: Array(embedding), rows: 0..<1)[0]
    }

    /// The closeness of each of these rows of `embeddings` (unit rows × `dimension`). The cosines
    /// of all of them to all topics are one matrix product on the calling thread: every line
    /// meets every topic (1,157 × 256 products a line for `fast`), and a product over many lines
    /// reads the topics once instead of once a line.
    public func closeness(of embeddings: [Float], rows: Range<Int>) -> [Float] {
        let (d, topics, s) = (dimension, count, Self.sharpness)
        precondition(rows.upperBound * d <= embeddings.count)
        guard !rows.isEmpty else { return [] }
        var cosines = [Float](repeating: 0, count: rows.count * topics)
        embeddings.withUnsafeBufferPointer { e in
            vectors.withUnsafeBufferPointer { v in
                cosines.withUnsafeMutableBufferPointer { c in
                    Gemm.multiply(
                        transposeA: false, transposeB: true, m: rows.count, n: topics, k: d, a: e.baseAddress! + rows.lowerBound * d,
                        lda: d,
                        b: v.baseAddress!, ldb: d, c: c.baseAddress!, ldc: topics, accumulate: false, threads: 1)
                }
            }
        }
        return cosines.withUnsafeBufferPointer { c in
            (0..<rows.count).map { row in 1 + log(sumOfExponentials(c.baseAddress! + row * topics, count: topics, scale: s, shift: 1)) / s }
        }
    }

    /// The largest penalty's size: |closeness| ≤ 1 + ln(count) / sharpness.
    public var largestPenalty: Float { weight * (1 + log(Float(count)) / Self.sharpness) }

    /// What the open-set score of a line with this embedding loses: weight × closeness.
    public func penalty(_ embedding: ArraySlice<Float>) -> Float {
        weight == 0 ? 0 : weight * closeness(embedding)
    }

    /// The penalty of each of these rows of `embeddings`.
    public func penalties(of embeddings: [Float], rows: Range<Int>) -> [Float] {
        weight == 0 ? [Float](repeating: 0, count: rows.count) : closeness(of: embeddings, rows: rows).map { weight * $0 }
    }

    // MARK: file

    static let vectorsTensor = "background.topics"
    static let weightKey = "background.weight"

    /// Hands the topics' tensor (stored as `dtype`, the encoder's weights' type; nil: the smallest
    /// type that loses nothing) and metadata entry to `body` (which writes them).
    public func withOutputs<Result>(dtype: SafeTensors.DType?, _ body: ([SafeTensors.Output], [String: String]) throws -> Result) rethrows
        -> Result
    {
        try vectors.withUnsafeBufferPointer { values in
            try body(
                [SafeTensors.Output(name: Self.vectorsTensor, shape: [count, dimension], values: values, dtype: dtype)],
                [Self.weightKey: String(weight)])
        }
    }

    /// The topics stored in `file` for an encoder of this width, or nil if it has none; a damaged
    /// entry is refused.
    public static func load(from file: SafeTensors.File, metadata: [String: String], dimension: Int) throws -> BackgroundTopics? {
        guard let info = file.tensors[vectorsTensor] else { return nil }
        func corrupted(_ detail: String) -> StorageError { .corrupted(path: file.path, detail: "background topics: " + detail) }
        guard info.shape.count == 2, info.shape[1] == dimension, info.shape[0] > 0 else {
            throw corrupted("shape \(info.shape), expected [topics, \(dimension)]")
        }
        guard let weight = metadata[weightKey].flatMap(Float.init), weight.isFinite, weight >= 0 else {
            throw corrupted("no weight, or not a number of 0 or more")
        }
        var vectors = [Float](repeating: 0, count: info.count)
        try file.read(vectorsTensor, into: &vectors)
        for topic in 0..<info.shape[0] {
            let norm = vectors[topic * dimension..<(topic + 1) * dimension].reduce(0) { $0 + $1 * $1 }
            guard abs(norm - 1) < 1e-2 else { throw corrupted("topic \(topic) is not of unit length") }
        }
        return BackgroundTopics(vectors: vectors, dimension: dimension, weight: weight)
    }
}
