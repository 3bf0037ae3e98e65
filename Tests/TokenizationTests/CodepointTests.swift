import Foundation
import Testing

@testable import Tokenization

/// Every Unicode code point, normalized alone, must give the reference's output, and the
/// pre-tokenizer must class it (whitespace, punctuation, other) as the reference does.
@Suite struct CodepointTests {
    struct Expectation {
        let first: UInt32
        let last: UInt32
        let kind: String
        let mapped: [UInt32]
    }

    static func expectations() throws -> [Expectation] {
        try Fixture.text("codepoints.tsv").split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            return Expectation(
                first: UInt32(fields[0], radix: 16)!, last: UInt32(fields[1], radix: 16)!, kind: String(fields[2]),
                mapped: fields.count > 3 ? fields[3].split(separator: " ").map { UInt32($0, radix: 16)! } : [])
        }
    }

    /// The reference's output for `scalar` under a fixture line's kind.
    static func expectedOutput(_ kind: String, _ scalar: UInt32, _ mapped: [UInt32]) -> [UInt32] {
        let body = String(kind.dropLast())
        if body == "same" { return [scalar] }
        if body == "deleted" { return [] }
        if body == "spaced" { return [0x20, scalar, 0x20] }
        if body == "map" { return mapped }
        if body == "hangul" {
            let s = scalar - 0xAC00
            let trail = 0x11A7 + s % 28
            return [0x1100 + s / 588, 0x1161 + (s % 588) / 28] + (trail != 0x11A7 ? [trail] : [])
        }
        if body.hasPrefix("spacedto") { return [0x20, UInt32(Int(scalar) + Int(body.dropFirst(8))!), 0x20] }
        if body.hasPrefix("to") { return [UInt32(Int(scalar) + Int(body.dropFirst(2))!)] }
        Issue.record("unknown kind \(kind)")
        return []
    }

    @Test func everyCodePointNormalizesAsTheReference() throws {
        let normalizer = BertNormalizer()
        var checked = 0
        var mismatches: [String] = []
        for expectation in try Self.expectations() {
            for scalar in expectation.first...expectation.last {
                let expected = Self.expectedOutput(expectation.kind, scalar, expectation.mapped)
                let got = normalizer.normalize(scalar: scalar)
                if got != expected && mismatches.count < 20 {
                    mismatches.append(
                        String(
                            format: "U+%04X: got %@ expected %@", scalar, got.map { String($0, radix: 16) }.description,
                            expected.map { String($0, radix: 16) }.description))
                }
                checked += 1
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
        #expect(checked == 0x110000 - 0x800, "the fixture covers every scalar value")
    }

    @Test func everyCodePointHasTheReferencePreTokenizerClass() throws {
        var mismatches: [String] = []
        for expectation in try Self.expectations() {
            let expectedClass = expectation.kind.last!
            for scalar in expectation.first...expectation.last {
                // The reference's pre-tokenizer whitespace is Rust's `char::is_whitespace`.
                let got: Character =
                    BertCharacterClasses.isWhitespace(scalar) ? "w" : BertCharacterClasses.isPunctuation(scalar) ? "p" : "o"
                if got != expectedClass && mismatches.count < 20 {
                    mismatches.append(String(format: "U+%04X: got %@ expected %@", scalar, String(got), String(expectedClass)))
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }
}
