import Foundation
import Testing

@testable import Tokenization

/// Properties that must hold on any input, checked on seeded random text.
@Suite struct TokenizerPropertyTests {
    static let tokenizer = try! Tokenizer(vocabularyFile: Fixture.path("minilm_vocab.txt"))

    @Test func asciiFastPathEqualsGeneralPath() {
        var random = TestRandom(seed: 42)
        let alphabet = Array("abcXYZ019 \t\r.,!?-'\"$+<>[]{}\\|_~#@%^&*()`;:/\u{01}\u{1f}\u{7f}\u{0b}\u{0c}".utf8)
        for _ in 0..<3000 {
            let length = random.int(0..<60)
            let bytes = (0..<length).map { _ in alphabet[random.int(0..<alphabet.count)] }
            let text = String(decoding: bytes, as: UTF8.self)
            let fast = Self.tokenizer.encode(text, addSpecialTokens: false)
            let general = Self.tokenizer.encodeWithoutASCIIFastPath(text)
            #expect(fast == general, "\(text.debugDescription)")
            if fast != general { return }
        }
    }

    @Test func randomBytesNeverCrashAndTruncationIsAPrefix() {
        var random = TestRandom(seed: 7)
        var ids: [Int32] = []
        var truncated: [Int32] = []
        var scratch = Tokenizer.Scratch()
        let pieces: [[UInt8]] = [
            Array("[MASK]".utf8), Array("é".utf8), Array("北".utf8), Array("😀".utf8), [0xFF], [0xC3], [0xED, 0xA0, 0x80],
            [0x00], [0x20], Array("word".utf8), Array("##".utf8), [0xE2, 0x80, 0x8B],
        ]
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<random.int(0..<40) {
                if random.int(0..<2) == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: random.next()))
                } else {
                    bytes += pieces[random.int(0..<pieces.count)]
                }
            }
            let maxLength = random.int(2..<12)
            bytes.withUnsafeBufferPointer {
                Self.tokenizer.encode($0, into: &ids, scratch: &scratch)
                Self.tokenizer.encode($0, maxLength: maxLength, into: &truncated, scratch: &scratch)
            }
            #expect(ids.first == Self.tokenizer.classifierID && ids.last == Self.tokenizer.separatorID)
            #expect(truncated.count <= maxLength)
            let body = Array(ids.dropFirst().dropLast())
            let truncatedBody = Array(truncated.dropFirst().dropLast())
            #expect(Array(body.prefix(maxLength - 2)) == truncatedBody)
            #expect(ids.allSatisfy { $0 >= 0 && Int($0) < Self.tokenizer.vocabulary.count })
        }
    }

    @Test func wordLimitsAndUnknownPieces() throws {
        let tokenizer = Self.tokenizer
        let unk = tokenizer.wordPiece.unknownID
        #expect(tokenizer.encode(String(repeating: "a", count: 101), addSpecialTokens: false) == [unk])
        #expect(tokenizer.encode(String(repeating: "é", count: 101), addSpecialTokens: false) == [unk])
        #expect(tokenizer.encode(String(repeating: "a", count: 100), addSpecialTokens: false) != [unk])
        // A word with one unmatchable piece is a single [UNK], not a partial match.
        let small = try Tokenizer(vocabulary: Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "ab", "##c"]))
        #expect(small.tokens(for: small.encode("abc abd ab", addSpecialTokens: false)) == ["ab", "##c", "[UNK]", "ab"])
    }

    @Test func normalizerAndPreTokenizerStrings() {
        let normalizer = BertNormalizer()
        #expect(normalizer.normalize("Crème BRÛLÉE\tﬁ İ ß ΣΑΣ") == "creme brulee ﬁ i ß σασ")
        #expect(normalizer.normalize("a\u{0}b\u{FFFD}c\u{200B}d") == "abcd")
        #expect(normalizer.normalize("北京") == " 北  京 ")
        #expect(BertPreTokenizer().split("hello, world!  a$b") == ["hello", ",", "world", "!", "a", "$", "b"])
    }
}
