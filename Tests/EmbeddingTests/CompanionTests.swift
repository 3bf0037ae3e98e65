import Foundation
import Storage
import TestSupport
import Testing
import Transformer

@testable import Embedding

/// A second encoder beside a model's own (`Companion`): how the two views are joined, what the
/// encoder's half is, and the file.
@Suite struct CompanionTests {
    static let lines = ["a line about rivers", "another line, about the sea", "mountains and more mountains", "x"]

    /// The tiny test BERT (32 wide) with a random static encoder of its vocabulary (8 wide) at
    /// weight `weight`.
    static func joined(weight: Float = 0.3) throws -> (model: SentenceEncoder, alone: SentenceEncoder, companion: BertEncoder<Float>) {
        let path = TestFiles.path("Tests/EmbeddingTests/Fixtures/tiny-bert")
        let model = try SentenceEncoder.load(path)
        let config = EncoderConfig(
            layers: 0, hidden: 8, heads: 1, intermediate: 8, maxPositions: model.maxLength,
            vocabularySize: model.encoder.config.vocabularySize)
        let companion = try BertEncoder<Float>(config: config)
        companion.initializeLikeBERT(seed: 7)
        try model.setCompanion(try Companion(encoder: companion, weight: weight))
        return (model, try SentenceEncoder.load(path), companion)
    }

    @Test func anEmbeddingIsBothViewsWeighedByTheSquareRootsOfTheirShares() throws {
        let (model, alone, companion) = try Self.joined(weight: 0.3)
        #expect(model.dimension == 40)
        let tokens = model.tokenize(Self.lines.map { Array($0.utf8) })
        let rows = try model.embed(tokenized: tokens)
        let own = try alone.embed(tokenized: tokens)
        let theirs = Array(try companion.forward(TokenBatch(sequences: tokens), normalize: true))
        let (a, b): (Float, Float) = ((0.7 as Float).squareRoot(), (0.3 as Float).squareRoot())
        for row in tokens.indices {
            let joined = Array(rows[row * 40..<(row + 1) * 40])
            let norm: Float = joined.reduce(0) { $0 + $1 * $1 }
            #expect(abs(norm - 1) < 1e-5)
            let ownRow = Array(own[row * 32..<(row + 1) * 32]).map { a * $0 }
            let theirRow = Array(theirs[row * 8..<(row + 1) * 8]).map { b * $0 }
            let expected: [Float] = ownRow + theirRow
            #expect(zip(joined, expected).allSatisfy { abs($0 - $1) < 1e-6 })
        }
        // So a cosine between two lines is 0.7 times the model's plus 0.3 times the companion's.
        func dot(_ a: [Float], _ i: Int, _ j: Int, _ d: Int) -> Float { (0..<d).reduce(0) { $0 + a[i * d + $1] * a[j * d + $1] } }
        let mixed = 0.7 * dot(own, 0, 1, 32) + 0.3 * dot(theirs, 0, 1, 8)
        #expect(abs(dot(rows, 0, 1, 40) - mixed) < 1e-5)
        #expect(abs(dot(own, 0, 1, 32) - dot(theirs, 0, 1, 8)) > 1e-3, "the two views differ, so the mix is a real test")
    }

    @Test func theEncodersHalfOfJoinedRowsIsWhatTheEncoderGivesAlone() throws {
        let (model, alone, _) = try Self.joined()
        let tokens = model.tokenize(Self.lines.map { Array($0.utf8) })
        let own = try alone.embed(tokenized: tokens)
        let part = model.ownPart(of: try model.embed(tokenized: tokens))
        #expect(part.count == own.count)
        #expect(zip(part, own).allSatisfy { abs($0 - $1) < 1e-6 })
        // And the joined rows come back from that half.
        #expect(try model.embeddings(own: own, of: tokens) == model.embed(tokenized: tokens))
        #expect(alone.ownPart(of: own) == own)
    }

    @Test func aModelWithACompanionEmbedsTheSameAfterItsFileIsReadAgain() throws {
        let (model, _, _) = try Self.joined(weight: 0.25)
        model.background = BackgroundTopics(vectors: Array(try model.embed(["rivers and seas"])), dimension: 40, weight: 1)
        let folder = try TestFiles.directory()
        let path = folder.appendingPathComponent("joined.safetensors").path
        try model.save(to: path)
        let loaded = try SentenceEncoder.load(path)
        #expect(loaded.companion?.weight == 0.25 && loaded.dimension == 40)
        #expect(Companion.same(loaded.companion, model.companion))
        #expect(!Companion.same(loaded.companion, nil))
        #expect(loaded.background == model.background)
        #expect(try loaded.embed(Self.lines) == model.embed(Self.lines))
    }

    @Test func aDamagedCompanionEntryIsRefusedWithItsName() throws {
        let (model, _, _) = try Self.joined()
        let folder = try TestFiles.directory()
        let path = folder.appendingPathComponent("joined.safetensors").path
        try model.save(to: path)
        for (key, value) in [
            ("fewshot.extra.companion.weight", "1"), ("fewshot.extra.companion.weight", "nan"), ("fewshot.extra.companion.weight", nil),
            ("fewshot.extra.companion.config", "{}"),
        ] {
            let edited = try TestFiles.withMetadata(path, key, value)
            #expect {
                _ = try SentenceEncoder.load(edited)
            } throws: { "\($0)".contains("companion") }
        }
        // A companion of a larger vocabulary than the model's would read ids it does not have.
        var config = model.companion!.encoder.config
        config.vocabularySize += 1
        let edited = try TestFiles.withMetadata(
            path, "fewshot.extra.companion.config", String(decoding: try JSONEncoder().encode(config), as: UTF8.self))
        #expect {
            _ = try SentenceEncoder.load(edited)
        } throws: { "\($0)".contains("companion") && "\($0)".contains("2001") }
    }

    @Test func aCompanionMustReadTheModelsTokensAndSettingOneDropsTheBackground() throws {
        let (model, _, companion) = try Self.joined()
        model.background = BackgroundTopics(vectors: Array(try model.embed(["rivers"])), dimension: 40, weight: 1)
        var config = companion.config
        config.maxPositions = model.maxLength - 1
        #expect(throws: EncoderError.self) {
            try model.setCompanion(try Companion(encoder: try BertEncoder<Float>(config: config), weight: 0.5))
        }
        config = companion.config
        config.vocabularySize = 10
        #expect(throws: EncoderError.self) {
            try model.setCompanion(try Companion(encoder: try BertEncoder<Float>(config: config), weight: 0.5))
        }
        #expect(model.background != nil, "a refused companion changes nothing")
        #expect(throws: EncoderError.self) { try Companion(encoder: companion, weight: 1) }
        #expect(throws: EncoderError.self) { try Companion(encoder: companion, weight: 0) }
        try model.setCompanion(nil)
        #expect(model.dimension == 32 && model.background == nil)
    }
}
