import Foundation
import TestSupport
import Testing
import Transformer

@testable import Embedding

/// Sentences and their expected embeddings, from scripts/make_encoder_fixtures.py.
func expectedEmbeddings(_ name: String) throws -> [(sentence: String, embedding: [Float])] {
    let text = try String(contentsOfFile: TestFiles.path("Tests/EmbeddingTests/Fixtures/\(name)"), encoding: .utf8)
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    return stride(from: 0, to: lines.count, by: 2).map { index in
        (String(lines[index]), lines[index + 1].split(separator: " ").map { Float($0)! })
    }
}

func worstRelativeError(_ got: [Float], _ expected: [Float]) -> Float {
    let scale = expected.map(abs).max() ?? 1
    return zip(got, expected).map { abs($0 - $1) / scale }.max() ?? 0
}

@Suite struct SentenceEncoderTests {
    @Test func tinyRandomBertMatchesTheNumpyReference() throws {
        let model = try SentenceEncoder.load(TestFiles.path("Tests/EmbeddingTests/Fixtures/tiny-bert"))
        let cases = try expectedEmbeddings("tiny-bert.expected")
        #expect(cases.count == 8)
        let embeddings = try model.embed(cases.map(\.sentence))
        let d = model.dimension
        for (index, item) in cases.enumerated() {
            let got = Array(embeddings[index * d..<(index + 1) * d])
            #expect(worstRelativeError(got, item.embedding) <= 1e-4, "\(item.sentence): \(worstRelativeError(got, item.embedding))")
        }
    }

    @Test(
        .enabled(
            if: !(ProcessInfo.processInfo.environment["FEWSHOT_MINILM_DIR"] ?? "").isEmpty,
            "set FEWSHOT_MINILM_DIR to all-MiniLM-L6-v2's directory to run"))
    func allMiniLMMatchesSentenceTransformers() throws {
        let model = try SentenceEncoder.load(ProcessInfo.processInfo.environment["FEWSHOT_MINILM_DIR"]!)
        #expect(model.maxLength == 256)
        let cases = try expectedEmbeddings("minilm.expected")
        let embeddings = try model.embed(cases.map(\.sentence))
        var worst: Float = 0
        for (index, item) in cases.enumerated() {
            worst = max(worst, worstRelativeError(Array(embeddings[index * 384..<(index + 1) * 384]), item.embedding))
        }
        print("all-MiniLM-L6-v2: worst relative error \(worst) over \(cases.count) sentences")
        #expect(worst <= 1e-4)
    }

    /// A sentence's embedding has the same bits alone, in a batch of any size, and in any
    /// position: `classify` batches by how fast input arrives, and Spark splits it anyhow.
    @Test(arguments: ["Tests/EmbeddingTests/Fixtures/tiny-bert", "models/default.safetensors", "models/fast.safetensors"])
    func embeddingsDoNotDependOnTheBatch(model path: String) throws {
        let model = try SentenceEncoder.load(TestFiles.path(path))
        let text = try String(contentsOfFile: TestFiles.path("Tests/TokenizationTests/Fixtures/real_text.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n").prefix(150).map(String.init)
        let d = model.dimension
        let together = try model.embed(lines)
        for (start, count) in [(0, 1), (7, 1), (149, 1), (3, 5), (20, 37), (60, 90)] {
            let part = try model.embed(Array(lines[start..<start + count]))
            #expect(part == Array(together[start * d..<(start + count) * d]), "lines \(start)..<\(start + count) of \(path)")
        }
    }

    /// One thread or two (row or column splits, the kernel threads or the fallback), the same
    /// embeddings to the bit.
    @Test(arguments: ["Tests/EmbeddingTests/Fixtures/tiny-bert", "models/default.safetensors", "models/fast.safetensors"])
    func embeddingsDoNotDependOnTheThreadCount(model path: String) throws {
        let model = try SentenceEncoder.load(TestFiles.path(path))
        let text = try String(contentsOfFile: TestFiles.path("Tests/TokenizationTests/Fixtures/real_text.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n").prefix(60).map(String.init)
        model.encoder.threads = 2
        let two = try model.embed(lines)
        let single = try model.embed([lines[0]])
        model.encoder.threads = 1
        #expect(try model.embed(lines) == two, "\(path), 60 lines")
        #expect(try model.embed([lines[0]]) == single, "\(path), one line")
    }

    @Test func checkpointRoundTripKeepsEmbeddings() throws {
        let imported = try SentenceEncoder.load(TestFiles.path("Tests/EmbeddingTests/Fixtures/tiny-bert"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sentence-\(UUID().uuidString).safetensors").path
        let vocabulary = imported.tokenizer.vocabulary
        try EncoderCheckpoint.save(
            imported.encoder,
            metadata: .init(
                vocabularyFingerprint: vocabulary.fingerprint, vocabularyText: vocabulary.tokens.joined(separator: "\n") + "\n"), to: path)
        let reloaded = try SentenceEncoder.load(path)
        let texts = ["a cell divides", "the court heard an appeal"]
        #expect(try reloaded.embed(texts) == (try imported.embed(texts)))
        #expect(reloaded.tokenizer.vocabulary.tokens == vocabulary.tokens)
    }
}
