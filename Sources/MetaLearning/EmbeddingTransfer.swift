import Foundation
import Transformer

/// Starts a narrow student from a wide teacher's token and position embeddings: both tables
/// are projected onto the teacher's top principal directions (of its word embeddings), so words
/// the meta-train text never shows still arrive with the teacher's lexical similarities instead
/// of random vectors. Needs the same vocabulary in both.
public enum EmbeddingTransfer {
    public static func initialize(student: BertEncoder<Float>, from teacher: BertEncoder<Float>) throws {
        let s = student.config, t = teacher.config
        guard s.vocabularySize == t.vocabularySize else {
            throw EncoderError.invalidConfig(
                "embedding transfer needs the teacher's vocabulary (\(t.vocabularySize) tokens, the student has \(s.vocabularySize))")
        }
        let projection = principalDirections(
            teacher.parameters.pointer + teacher.layout.wordEmbeddings, rows: t.vocabularySize, columns: t.hidden, count: s.hidden)
        // Coordinates along those directions, unscaled: the rows keep the teacher's spread.
        func project(_ source: UnsafePointer<Float>, rows: Int, into target: UnsafeMutablePointer<Float>) {
            for row in 0..<rows {
                for k in 0..<s.hidden {
                    var sum: Float = 0
                    for j in 0..<t.hidden { sum += source[row * t.hidden + j] * projection[k * t.hidden + j] }
                    target[row * s.hidden + k] = sum
                }
            }
        }
        project(
            teacher.parameters.pointer + teacher.layout.wordEmbeddings, rows: s.vocabularySize,
            into: student.parameters.pointer + student.layout.wordEmbeddings)
        project(
            teacher.parameters.pointer + teacher.layout.positionEmbeddings, rows: min(s.maxPositions, t.maxPositions),
            into: student.parameters.pointer + student.layout.positionEmbeddings)
        project(
            teacher.parameters.pointer + teacher.layout.typeEmbeddings, rows: min(s.typeVocabularySize, t.typeVocabularySize),
            into: student.parameters.pointer + student.layout.typeEmbeddings)
        student.parameters.markWritten()
    }

    /// The top `count` principal directions (rows of a count×columns matrix, orthonormal) of a
    /// rows×columns matrix, by orthogonal iteration on its covariance.
    static func principalDirections(_ x: UnsafePointer<Float>, rows: Int, columns c: Int, count k: Int) -> [Float] {
        var mean = [Double](repeating: 0, count: c)
        for row in 0..<rows { for j in 0..<c { mean[j] += Double(x[row * c + j]) } }
        for j in 0..<c { mean[j] /= Double(rows) }
        var covariance = [Double](repeating: 0, count: c * c)
        var centered = [Double](repeating: 0, count: c)
        for row in 0..<rows {
            for j in 0..<c { centered[j] = Double(x[row * c + j]) - mean[j] }
            for a in 0..<c {
                let value = centered[a]
                for b in a..<c { covariance[a * c + b] += value * centered[b] }
            }
        }
        for a in 0..<c { for b in 0..<a { covariance[a * c + b] = covariance[b * c + a] } }
        var random = SeededRandom(seed: 17)
        var basis = (0..<k * c).map { _ in random.normal() }  // k×c
        for _ in 0..<60 {
            var next = [Double](repeating: 0, count: k * c)
            for v in 0..<k {
                for a in 0..<c {
                    var sum = 0.0
                    for b in 0..<c { sum += covariance[a * c + b] * basis[v * c + b] }
                    next[v * c + a] = sum
                }
            }
            // Gram–Schmidt keeps the directions orthonormal, in order of decreasing variance.
            for v in 0..<k {
                for u in 0..<v {
                    var dot = 0.0
                    for a in 0..<c { dot += next[v * c + a] * next[u * c + a] }
                    for a in 0..<c { next[v * c + a] -= dot * next[u * c + a] }
                }
                var norm = 0.0
                for a in 0..<c { norm += next[v * c + a] * next[v * c + a] }
                norm = max(norm.squareRoot(), 1e-30)
                for a in 0..<c { next[v * c + a] /= norm }
            }
            basis = next
        }
        return basis.map { Float($0) }
    }
}
