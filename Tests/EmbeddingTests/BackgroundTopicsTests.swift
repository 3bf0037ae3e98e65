import Foundation
import Storage
import TestSupport
import Testing
import Transformer

@testable import Embedding

/// The background topics of the open-set score: fitted as unit prototypes, a closeness that is
/// the soft maximum of the cosines, and stored with an encoder, damaged entries refused.
@Suite struct BackgroundTopicsTests {
    /// Three topics in 3 dimensions; the second label has no rows and is left out.
    static let topics = BackgroundTopics.fitted(
        embeddings: [1, 0, 0, 0.6, 0.8, 0, 0, 0, 1, 0, 1, 0], labels: [0, 0, 2, 3], labelCount: 4, dimension: 3, weight: 0.5)

    @Test func topicsAreTheUnitPrototypesOfTheLabelsWithRows() {
        let topics = Self.topics
        #expect(topics.count == 3)
        // Label 0: the direction of (1.6, 0.8, 0).
        let norm = Float(1.6 * 1.6 + 0.8 * 0.8).squareRoot()
        let expected: [Float] = [1.6 / norm, 0.8 / norm, 0, 0, 0, 1, 0, 1, 0]
        for (value, wanted) in zip(topics.vectors, expected) { #expect(abs(value - wanted) < 1e-6) }
    }

    /// The closeness is 1 + ln Σ exp(s(cos − 1)) / s, computed here in Double; it lies between the
    /// best cosine and the best cosine plus ln(count)/s, and the penalty is weight times it.
    @Test func closenessIsTheSoftMaximumOfTheCosines() {
        let topics = Self.topics
        let s = Double(BackgroundTopics.sharpness)
        for line in [[Float(1), 0, 0], [0, 0.6, 0.8], [-1, 0, 0], [0.5773503, 0.5773503, 0.5773503]] {
            let cosines = (0..<topics.count).map { topic in (0..<3).reduce(0.0) { $0 + Double(line[$1] * topics.vectors[topic * 3 + $1]) } }
            let reference = 1 + log(cosines.reduce(0) { $0 + exp(s * ($1 - 1)) }) / s
            let closeness = topics.closeness(line[...])
            #expect(abs(Double(closeness) - reference) < 1e-5, "\(line)")
            let best = cosines.max()!
            #expect(Double(closeness) >= best - 1e-6 && Double(closeness) <= best + log(3) / s + 1e-6)
            #expect(abs(topics.penalty(line[...]) - 0.5 * closeness) < 1e-6)
            #expect(abs(topics.penalty(line[...])) <= topics.largestPenalty)
        }
        var unweighted = topics
        unweighted.weight = 0
        #expect(unweighted.penalty([1, 0, 0]) == 0)
    }

    /// Stored beside an encoder's weights, the topics load back as they were; a file without them
    /// loads without; a wrong shape, a missing or negative weight, and a row that is not of unit
    /// length are refused as damage; an F16 file stores them as F16.
    @Test func topicsRoundTripThroughTheModelFileAndDamageIsRefused() throws {
        let model = try SentenceEncoder.load(TestFiles.path("Tests/EmbeddingTests/Fixtures/tiny-bert"))
        let d = model.dimension
        var vectors = [Float](repeating: 0, count: 3 * d)
        for topic in 0..<3 { vectors[topic * d + topic] = 1 }
        model.background = BackgroundTopics(vectors: vectors, dimension: d, weight: 0.75)
        let folder = try TestFiles.directory()
        let path = folder.appendingPathComponent("background.safetensors").path
        try model.save(to: path)
        #expect(try SentenceEncoder.load(path).background == model.background)
        // In an F16 file (the shipped models), the topics are stored as F16 too.
        let half = folder.appendingPathComponent("half.safetensors").path
        try model.save(to: half, dtype: .f16)
        #expect(try SafeTensors.File(path: half).tensors["background.topics"]?.dtype == .f16)
        #expect(try SentenceEncoder.load(half).background?.vectors == vectors.map { Float(Float16($0)) })
        let plain = folder.appendingPathComponent("plain.safetensors").path
        model.background = nil
        try model.save(to: plain)
        #expect(try SentenceEncoder.load(plain).background == nil)

        func damaged(_ name: String, _ topics: [Float], dimension: Int, weight: String?) throws -> String {
            let (encoder, metadata, _) = try EncoderCheckpoint.load(plain)
            var extra = metadata.extra
            extra["background.weight"] = weight
            let edited = folder.appendingPathComponent(name).path
            try topics.withUnsafeBufferPointer { values in
                try EncoderCheckpoint.save(
                    encoder, metadata: .init(vocabulary: metadata.vocabulary(path: plain), extra: extra), to: edited,
                    extraOutputs: [
                        SafeTensors.Output(name: "background.topics", shape: [topics.count / dimension, dimension], values: values)
                    ])
            }
            return edited
        }
        let cases: [(String, [Float], Int, String?, String)] = [
            ("shape", [Float](repeating: 0.5, count: 4), 4, "1", "shape [1, 4], expected [topics, \(d)]"),
            ("weight", vectors, d, nil, "no weight, or not a number of 0 or more"),
            ("negative", vectors, d, "-1", "no weight, or not a number of 0 or more"),
            ("length", vectors.map { $0 * 2 }, d, "1", "topic 0 is not of unit length"),
        ]
        for (name, topics, dimension, weight, reason) in cases {
            let edited = try damaged(name, topics, dimension: dimension, weight: weight)
            #expect(throws: StorageError.corrupted(path: edited, detail: "background topics: " + reason), "\(name)") {
                try SentenceEncoder.load(edited)
            }
        }
    }
}
