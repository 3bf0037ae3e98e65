import Testing
import Transformer

@testable import Embedding

/// `LabelScorer` lays the prototypes out for speed; its scores must be those of the plain
/// per-label loops (`Prototypes.cosines`, `LexicalTable.dot`) to the bit.
@Suite struct LabelScorerTests {
    static func unitRows(_ count: Int, _ d: Int, _ random: inout SeededRandom) -> [Float] {
        Prototypes.normalized((0..<count * d).map { _ in Float(random.normal()) }, dimension: d)
    }

    /// A sorted unit TF-IDF vector over terms drawn from a small pool, so that labels and
    /// lines share terms (unigrams and bigrams both).
    static func vector(_ random: inout SeededRandom, terms: Int) -> LexicalTable.Vector {
        var keys = Set<UInt64>()
        while keys.count < terms {
            let a = random.next() % 60
            keys.insert(random.next() % 2 == 0 ? a : (a + 1) << 32 | (random.next() % 60))
        }
        return LexicalTable.normalized(keys.sorted().map { ($0, random.unitFloat() + 0.01) })
    }

    @Test(arguments: [(1, 3), (7, 128), (8, 256), (9, 384), (17, 64)])
    func cosinesEqualThePlainLoopBitForBit(labels: Int, dimension: Int) {
        var random = SeededRandom(seed: UInt64(labels * 1000 + dimension))
        let prototypes = Self.unitRows(labels, dimension, &random)
        let lines = Self.unitRows(40, dimension, &random)
        let scorer = LabelScorer(prototypes: prototypes, count: labels, dimension: dimension, lexical: [])
        for row in 0..<40 {
            let expected = Prototypes.cosines(of: lines, row: row, to: prototypes, count: labels, dimension: dimension)
            let got = scorer.cosines(of: lines, row: row)
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern), "row \(row)")
        }
    }

    @Test(arguments: [1, 2, 7, 30])
    func lexicalScoresEqualThePlainMergeBitForBit(labels: Int) {
        var random = SeededRandom(seed: UInt64(labels))
        let prototypes = (0..<labels).map { _ in Self.vector(&random, terms: 1 + random.below(50)) }
        let scorer = LabelScorer(
            prototypes: Self.unitRows(labels, 4, &random), count: labels, dimension: 4, lexical: prototypes)
        var overlapping = 0
        for _ in 0..<200 {
            let line = Self.vector(&random, terms: random.below(30))
            let start = (0..<labels).map { _ in random.unitFloat() - 0.5 }
            let weight = random.unitFloat() * 3
            var got = start
            scorer.addLexical(line, weight: weight, to: &got)
            let expected = (0..<labels).map { start[$0] + weight * LexicalTable.dot(line, prototypes[$0]) }
            #expect(got.map(\.bitPattern) == expected.map(\.bitPattern))
            overlapping += zip(got, start).filter { $0 != $1 }.count
        }
        #expect(overlapping > 100, "lines must share terms with the labels for the test to test anything")
    }

    @Test func aLineWithNoTermOfAnyLabelScoresNothingMore() {
        let scorer = LabelScorer(
            prototypes: [1, 0, 0, 1], count: 2, dimension: 2, lexical: [[(term: 5, weight: 1)], [(term: 9, weight: 1)]])
        var scores: [Float] = [0.25, -0.5]
        scorer.addLexical([(term: 6, weight: 1)], weight: 2, to: &scores)
        #expect(scores == [0.25, -0.5])
        scorer.addLexical([(term: 5, weight: 0.5), (term: 9, weight: 0.25)], weight: 2, to: &scores)
        #expect(scores == [1.25, 0])
    }
}
