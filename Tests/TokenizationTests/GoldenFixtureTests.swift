import Foundation
import Testing

@testable import Tokenization

/// Every line of the hard-string and real-text fixtures must encode to exactly the ids the
/// reference (HuggingFace tokenizers 0.23.3) produced, with and without truncation.
@Suite struct GoldenFixtureTests {
    static let cases: [(input: String, vocabulary: String)] = [
        ("hard_strings", "minilm_vocab"), ("real_text", "minilm_vocab"),
        ("hard_strings", "small_vocab"), ("real_text", "small_vocab"),
    ]

    @Test(arguments: cases)
    func matchesReference(input: String, vocabulary: String) throws {
        let tokenizer = try Tokenizer(vocabularyFile: Fixture.path(vocabulary + ".txt"))
        let lines = try Fixture.lines(input + ".txt")
        let expected = try Fixture.lines("\(input).\(vocabulary).ids").map { String(decoding: $0, as: UTF8.self) }
        #expect(lines.count == expected.count)
        #expect(lines.count > 50)
        var ids: [Int32] = []
        var scratch = Tokenizer.Scratch()
        var mismatches = 0
        for (line, expectation) in zip(lines, expected) {
            let parts = expectation.split(separator: "\t", omittingEmptySubsequences: false)
            let full = parts[0].split(separator: " ").map { Int32($0)! }
            let truncated = parts[1].split(separator: " ").map { Int32($0)! }
            line.withUnsafeBufferPointer { tokenizer.encode($0, into: &ids, scratch: &scratch) }
            let fullMatches = ids == full
            line.withUnsafeBufferPointer { tokenizer.encode($0, maxLength: 8, into: &ids, scratch: &scratch) }
            let truncatedMatches = ids == truncated
            if !fullMatches || !truncatedMatches {
                mismatches += 1
                if mismatches <= 5 {
                    let text = String(decoding: line, as: UTF8.self)
                    let got = tokenizer.tokens(for: tokenizer.encode(text))
                    Issue.record(
                        "\(input) with \(vocabulary): \(text.debugDescription)\n got      \(got)\n expected \(tokenizer.tokens(for: full))")
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(lines.count) lines differ")
    }

    @Test func literalSpecialTokensStayWhole() throws {
        let tokenizer = try Tokenizer(vocabularyFile: Fixture.path("minilm_vocab.txt"))
        #expect(tokenizer.tokens(for: tokenizer.encode("a[MASK]b")) == ["[CLS]", "a", "[MASK]", "b", "[SEP]"])
        #expect(tokenizer.tokens(for: tokenizer.encode("[mask]")) == ["[CLS]", "[", "mask", "]", "[SEP]"])
    }

    @Test func truncationCountsTheFrame() throws {
        let tokenizer = try Tokenizer(vocabularyFile: Fixture.path("minilm_vocab.txt"))
        let ids = tokenizer.encode("one two three four five", maxLength: 4)
        #expect(tokenizer.tokens(for: ids) == ["[CLS]", "one", "two", "[SEP]"])
        #expect(tokenizer.encode("one two", maxLength: 2) == [tokenizer.classifierID, tokenizer.separatorID])
        #expect(tokenizer.encode("", addSpecialTokens: false).isEmpty)
    }
}
