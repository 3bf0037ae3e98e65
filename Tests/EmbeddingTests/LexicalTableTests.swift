import Foundation
import Testing
import Transformer

@testable import Embedding

@Suite struct LexicalTableTests {
    /// `TermIndex` against a plain binary search over all the keys: every stored term is found at
    /// its position, and absent ones (between, before and after the stored keys, unigram ids past
    /// the last one, first tokens with no bigram) are not.
    @Test func termIndexFindsEveryTermAndNoOther() {
        var random = SeededRandom(seed: 5)
        var keys = Set<UInt64>()
        while keys.count < 3_000 {
            let a = random.next() % 400, b = random.next() % 400
            keys.insert(random.next() % 3 == 0 ? a : (a + 1) << 32 | b)
        }
        let terms = keys.sorted()
        let table = LexicalTable(terms: terms, idf: terms.indices.map { Float($0) + 1 }, documents: 10)
        func reference(_ term: UInt64) -> Float? {
            var low = 0, high = terms.count
            while low < high {
                let middle = (low + high) / 2
                if terms[middle] < term { low = middle + 1 } else { high = middle }
            }
            return low < terms.count && terms[low] == term ? Float(low) + 1 : nil
        }
        for term in terms { #expect(table.idf(of: term) == reference(term)) }
        var absent = 0
        for a in UInt64(0)...402 {
            for b in [0, 1, 7, 200, 399, 400, 5_000] as [UInt64] {
                for term in [a, (a + 1) << 32 | b, a << 40] where !keys.contains(term) {
                    #expect(table.idf(of: term) == nil)
                    absent += 1
                }
            }
        }
        #expect(absent > 5_000)
        let empty = LexicalTable(terms: [], idf: [], documents: 0)
        #expect(empty.idf(of: 3) == nil && empty.idf(of: 1 << 32 | 3) == nil)
        let unigramsOnly = LexicalTable(terms: [2, 9], idf: [1, 2], documents: 1)
        #expect(unigramsOnly.idf(of: 9) == 2 && unigramsOnly.idf(of: 10) == nil && unigramsOnly.idf(of: 10 << 32 | 9) == nil)
        let bigramsOnly = LexicalTable(terms: [3 << 32 | 1, 3 << 32 | 4], idf: [1, 2], documents: 1)
        #expect(bigramsOnly.idf(of: 3 << 32 | 4) == 2 && bigramsOnly.idf(of: 3) == nil && bigramsOnly.idf(of: 2 << 32 | 4) == nil)
    }
}

/// `LexicalTable.vector` sorts the bare term keys and looks each distinct one up once; the plain
/// version (every occurrence looked up, (term, IDF) pairs sorted) must give the same vector to
/// the bit.
@Suite struct LexicalVectorTests {
    static func plainVector(_ table: LexicalTable, terms: [UInt64]) -> LexicalTable.Vector {
        var weighted: [(UInt64, Float)] = []
        for term in terms { if let value = table.idf(of: term) { weighted.append((term, value)) } }
        weighted.sort { $0.0 < $1.0 }
        var vector: LexicalTable.Vector = []
        var start = 0
        while start < weighted.count {
            var end = start
            while end < weighted.count && weighted[end].0 == weighted[start].0 { end += 1 }
            vector.append((weighted[start].0, (1 + log(Float(end - start))) * weighted[start].1))
            start = end
        }
        var norm: Float = 0
        for entry in vector { norm += entry.weight * entry.weight }
        guard norm > 0 else { return vector }
        let scale = 1 / norm.squareRoot()
        return vector.map { ($0.term, $0.weight * scale) }
    }

    @Test func vectorEqualsThePlainVersionBitForBit() {
        var random = SeededRandom(seed: 11)
        var keys = Set<UInt64>()
        while keys.count < 500 {
            let a = random.next() % 40
            keys.insert(random.next() % 2 == 0 ? a : (a + 1) << 32 | (random.next() % 40))
        }
        let terms = keys.sorted()
        let table = LexicalTable(terms: terms, idf: terms.map { _ in 1 + random.unitFloat() * 5 }, documents: 100)
        var repeated = 0
        for _ in 0..<300 {
            // Ids from a small range: lines repeat tokens and bigrams, and hold some the table lacks.
            let tokens = [Int32(101)] + (0..<random.below(40)).map { _ in Int32(random.below(45)) } + [102]
            let got = table.vector(tokens)
            let expected = Self.plainVector(table, terms: LexicalTable.terms(tokens))
            #expect(got.map(\.term) == expected.map(\.term))
            #expect(got.map(\.weight.bitPattern) == expected.map(\.weight.bitPattern))
            repeated += Set(tokens).count < tokens.count ? 1 : 0
        }
        #expect(repeated > 100)
    }
}
