import Foundation
import Testing

@testable import Tokenization

@Suite struct VocabularyTests {
    func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-\(UUID().uuidString).txt").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func readsCRLFAndKeepsLastIdOfDuplicates() throws {
        let path = try write(Array("[PAD]\r\n[UNK]\r\n[CLS]\r\n[SEP]\r\nhello  \r\nhello\r\n##lo\r\n".utf8))
        let vocabulary = try Vocabulary(contentsOf: path)
        #expect(vocabulary.count == 7)
        #expect(vocabulary.tokens[4] == "hello")
        #expect(vocabulary.id(of: "hello") == 5)
        #expect(vocabulary.id(of: "##lo") == 6)
        #expect(vocabulary.id(of: "nothing") == nil)
    }

    @Test func rejectsBadFilesWithTheirName() throws {
        #expect(throws: TokenizationError.self) { try Vocabulary(contentsOf: "/nonexistent/vocab.txt") }
        let empty = try write([])
        #expect(throws: TokenizationError.emptyVocabulary(path: empty)) { try Vocabulary(contentsOf: empty) }
        let invalid = try write([0x61, 0x0A, 0xFF, 0x0A])
        #expect(throws: TokenizationError.invalidVocabulary(path: invalid, line: 2, reason: "not valid UTF-8")) {
            try Vocabulary(contentsOf: invalid)
        }
        let noUnknown = try write(Array("[CLS]\n[SEP]\nword\n".utf8))
        #expect(throws: TokenizationError.missingSpecialToken("[UNK]")) { try Tokenizer(vocabularyFile: noUnknown) }
    }

    @Test func writeThenReadRoundTrips() throws {
        let vocabulary = try Vocabulary(contentsOf: Fixture.path("small_vocab.txt"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("roundtrip-\(UUID().uuidString).txt").path
        try vocabulary.write(to: path)
        let reread = try Vocabulary(contentsOf: path)
        #expect(reread.tokens == vocabulary.tokens)
        #expect(reread.fingerprint == vocabulary.fingerprint)
        #expect(Vocabulary(tokens: ["a", "b"]).fingerprint != Vocabulary(tokens: ["b", "a"]).fingerprint)
    }

    /// The text a model file stores its vocabulary as, read back: the same tokens (an empty one,
    /// non-ASCII ones, combining marks after the newline's neighbours) and the same fingerprint.
    @Test func fileTextRoundTrips() throws {
        let shipped = try Vocabulary(contentsOf: Fixture.path("small_vocab.txt"))
        let unusual = Vocabulary(tokens: ["[PAD]", "", "é", "e\u{301}", "\u{301}", "##ß", "日本", "a b", "#"])
        for vocabulary in [shipped, unusual] {
            let reread = Vocabulary(fileText: vocabulary.fileText)
            #expect(reread.tokens == vocabulary.tokens)
            #expect(reread.fingerprint == vocabulary.fingerprint)
        }
    }
}
