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
