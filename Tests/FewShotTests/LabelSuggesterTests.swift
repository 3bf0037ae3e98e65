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

    @Test func aRepeatedTextIsPickedOnceByEveryStrategy() {
        for strategy in LabelSuggester.Strategy.allCases {
            for seed: UInt64 in 0..<20 {
                var suggester = LabelSuggester(strategy: strategy, count: 3, seed: seed, labelled: [], dimension: 1)
                for id in 0..<7 {
                    let text = id == 6 ? "other line" : "same line"
                    suggester.offer(id: id, margin: Float(id) / 10, text: Array(text.utf8), guess: (0, 1), embedding: [1])
                }
                let picked = suggester.picked()
                #expect(Set(picked.map(\.text)).count == picked.count && picked.count == 2, "\(strategy) seed \(seed)")
                if strategy == .margin { #expect(picked.map(\.id) == [0, 6]) }
            }
        }
    }

    /// Unit vectors in 3 dimensions: five near (1,0,0), two near (0,1,0), one alone at (0,0,1).
    static let cluster: [[Float]] = {
        let raw: [[Float]] = [
            [1, 0.05, 0], [1, -0.05, 0], [1, 0, 0.05], [1, 0, -0.05], [1, 0.02, 0.02], [0.05, 1, 0], [-0.05, 1, 0], [0, 0, 1],
        ]
        return raw.map { v in
            let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return v.map { $0 / norm }
        }
    }()

    /// The greedy choice against a plain computation of its rule: the first pick is the most
    /// typical line of the large group, the second the smaller group (the first group is covered
    /// now), the lone line last; a labelled line near the large group sends the first pick elsewhere.
    @Test func representativePicksTypicalLinesNotYetCovered() {
        let embeddings = Self.cluster.flatMap { $0 }
        let margins = [Float](repeating: 0.5, count: 8)
        let order = RepresentativeSelection.pick(embeddings: embeddings, margins: margins, labelled: [], dimension: 3, count: 3)
        #expect(order.count == 3)
        #expect((0..<5).contains(order[0]) && [5, 6].contains(order[1]), "\(order)")
        // Typicality by hand: the mean of each line's 5 highest cosines to the others.
        func cosine(_ a: Int, _ b: Int) -> Float { zip(Self.cluster[a], Self.cluster[b]).reduce(0) { $0 + $1.0 * $1.1 } }
        let typicality = (0..<8).map { a in (0..<8).filter { $0 != a }.map { cosine(a, $0) }.sorted(by: >).prefix(5).reduce(0, +) / 5 }
        let first = (0..<8).max { (typicality[$0], -$0) < (typicality[$1], -$1) }!
        #expect(order[0] == first)
        let covered = RepresentativeSelection.pick(
            embeddings: embeddings, margins: margins, labelled: Self.cluster[4], dimension: 3, count: 1)
        #expect(covered == [5] || covered == [6], "\(covered)")
        // Two lines alike in all else: the smaller margin goes first; equal margins, the earlier line.
        let pair: [Float] = [1, 0, 0, 0, 1, 0]
        #expect(RepresentativeSelection.pick(embeddings: pair, margins: [0.5, 0.1], labelled: [], dimension: 3, count: 2) == [1, 0])
        #expect(RepresentativeSelection.pick(embeddings: pair, margins: [0.5, 0.5], labelled: [], dimension: 3, count: 2) == [0, 1])
    }

    /// Through the suggester: the same picks from a stream as from the selection itself, each
    /// repeated text once, in memory bounded by its pool, and a fixed seed fixes the sample.
    @Test func representativeStreamsIntoABoundedSampleAndPicksFromIt() {
        var suggester = LabelSuggester(strategy: .representative, count: 2, seed: 0, labelled: [], dimension: 3)
        for (id, vector) in Self.cluster.enumerated() {
            suggester.offer(id: id, margin: 0.5, text: Array("line \(id)".utf8), guess: (0, 0.5), embedding: vector[...])
        }
        let direct = RepresentativeSelection.pick(
            embeddings: Self.cluster.flatMap { $0 }, margins: [Float](repeating: 0.5, count: 8), labelled: [], dimension: 3, count: 2)
        #expect(suggester.picked().map(\.id) == direct)
        var repeated = LabelSuggester(strategy: .representative, count: 3, seed: 0, labelled: [], dimension: 3)
        for id in 0..<5 { repeated.offer(id: id, margin: 0.5, text: Array("same".utf8), guess: (0, 0.5), embedding: Self.cluster[0][...]) }
        repeated.offer(id: 5, margin: 0.5, text: Array("other".utf8), guess: (0, 0.5), embedding: Self.cluster[7][...])
        #expect(repeated.picked().map(\.id) == [0, 5])
        func picks(_ seed: UInt64) -> [Int] {
            var large = LabelSuggester(strategy: .representative, count: 3, seed: seed, labelled: [], dimension: 3)
            for id in 0..<5_000 { large.offer(id: id, margin: 0.5, guess: (0, 0.5), embedding: Self.cluster[id % 8][...]) }
            #expect(large.capacity == LabelSuggester.representativePool)
            return large.picked().map(\.id)
        }
        #expect(picks(1) == picks(1))
        #expect(picks(1) != picks(2))
    }
}
