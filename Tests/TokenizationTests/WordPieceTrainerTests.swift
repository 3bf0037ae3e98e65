import Foundation
import Testing

@testable import Tokenization

@Suite struct WordPieceTrainerTests {
    static func corpus() throws -> [[UInt8]] {
        Array(try Fixture.lines("real_text.txt").prefix(2000))
    }

    static func train(size: Int) throws -> Vocabulary {
        var trainer = WordPieceTrainer(vocabularySize: size)
        for line in try corpus() { line.withUnsafeBufferPointer { trainer.add(line: $0) } }
        return trainer.train()
    }

    @Test func isDeterministicAndStartsWithSpecialTokens() throws {
        let first = try Self.train(size: 1500)
        let second = try Self.train(size: 1500)
        #expect(first.tokens == second.tokens)
        #expect(Array(first.tokens.prefix(5)) == ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"])
        #expect(first.count == 1500)
        #expect(Set(first.tokens).count == first.count, "no duplicate tokens")
    }

    @Test func coversItsTrainingTextWithFewUnknowns() throws {
        let vocabulary = try Self.train(size: 3000)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("trained-\(UUID().uuidString).txt").path
        try vocabulary.write(to: path)
        let tokenizer = try Tokenizer(vocabularyFile: path)
        var total = 0
        var unknown = 0
        var ids: [Int32] = []
        var scratch = Tokenizer.Scratch()
        for line in try Self.corpus() {
            line.withUnsafeBufferPointer { tokenizer.encode($0, addSpecialTokens: false, into: &ids, scratch: &scratch) }
            total += ids.count
            unknown += ids.filter { $0 == tokenizer.wordPiece.unknownID }.count
        }
        #expect(total > 10_000)
        #expect(Double(unknown) / Double(total) < 0.01, "\(unknown) [UNK] of \(total) tokens")
        // Frequent words become single tokens.
        #expect(tokenizer.encode("the", addSpecialTokens: false).count == 1)
    }

    @Test func mergesFollowFrequency() {
        var trainer = WordPieceTrainer(vocabularySize: 100, minFrequency: 1)
        for _ in 0..<5 { trainer.add(line: "lowest lower low") }
        trainer.add(line: "newer")
        let tokens = trainer.train().tokens
        #expect(tokens.contains("low"))
        #expect(tokens.contains("lowest"))
        #expect(tokens.firstIndex(of: "low")! < tokens.firstIndex(of: "lowest")!)
    }
}
