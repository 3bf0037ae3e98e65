import Foundation
import Testing

@testable import FewShot

/// `LabelSuggester`: what each strategy picks from a stream, in bounded memory, and that the
/// same seed picks the same lines.
@Suite struct LabelSuggesterTests {
    /// Margins of 1,000 lines from a fixed pseudo-random stream.
    static let margins: [Float] = (0..<1000).map { Float(($0 * 7_919) % 1000) / 1000 }

    @Test func marginPicksTheSmallestMarginsOfTheWholeStreamInOrder() {
        var suggester = LabelSuggester(strategy: .margin, count: 7, seed: 0)
        for (id, margin) in Self.margins.enumerated() { suggester.offer(id: id, margin: margin, guess: (0, 1)) }
        let expected = Self.margins.indices.sorted { (Self.margins[$0], $0) < (Self.margins[$1], $1) }.prefix(7)
        #expect(suggester.picked().map(\.id) == Array(expected))
    }

    @Test func diverseSpreadsItsPicksOverTheGuessedLabels() {
        // Ten uncertain lines guessed 0, then less uncertain ones guessed 1 and 2; confident lines after.
        var suggester = LabelSuggester(strategy: .diverse, count: 4, seed: 0)
        for id in 0..<10 { suggester.offer(id: id, margin: 0.01 + Float(id) * 0.001, guess: (0, 0.5)) }
        suggester.offer(id: 10, margin: 0.06, guess: (2, 0.5))
        suggester.offer(id: 11, margin: 0.05, guess: (1, 0.5))
        for id in 12..<1000 { suggester.offer(id: id, margin: 0.9, guess: (3, 0.9)) }
        // The most uncertain of each label in the order of their most uncertain line; then the second of label 0.
        #expect(suggester.picked().map(\.id) == [0, 11, 10, 12])
        var byMargin = LabelSuggester(strategy: .margin, count: 3, seed: 0)
        for id in 0..<10 { byMargin.offer(id: id, margin: 0.01 + Float(id) * 0.001, guess: (0, 0.5)) }
        #expect(byMargin.picked().map(\.id) == [0, 1, 2])
    }

    @Test func randomIsAUniformSampleFixedByItsSeed() {
        func picks(_ seed: UInt64) -> [Int] {
            var suggester = LabelSuggester(strategy: .random, count: 5, seed: seed)
            for (id, margin) in Self.margins.enumerated() { suggester.offer(id: id, margin: margin, guess: (0, 1)) }
            return suggester.picked().map(\.id)
        }
        #expect(picks(3) == picks(3))
        #expect(picks(3) != picks(4))
        #expect(Set(picks(3)).count == 5 && picks(3).allSatisfy { (0..<1000).contains($0) })
        // Uniform: over many seeds, lines of the second half are picked about as often as the first's.
        let late = (0..<400).flatMap { picks(UInt64($0)) }.filter { $0 >= 500 }.count
        #expect(abs(Double(late) / 2000 - 0.5) < 0.05, "\(late) of 2000 picks in the second half")
    }

    @Test func aRepeatedTextIsPickedOnce() {
        var suggester = LabelSuggester(strategy: .margin, count: 3, seed: 0)
        for id in 0..<6 { suggester.offer(id: id, margin: Float(id) / 10, text: Array("same line".utf8), guess: (0, 1)) }
        suggester.offer(id: 6, margin: 0.5, text: Array("other line".utf8), guess: (0, 1))
        #expect(suggester.picked().map(\.id) == [0, 6])
    }
}
