/// Each term key's IDF in a `LexicalTable`, found without a binary search over all the keys: a
/// unigram (key = token id) by a direct table, a bigram (`(a + 1) << 32 | b`) by a binary search
/// within the few entries that share its first token, each entry holding its second token and
/// its IDF side by side. A line's 100-odd lookups were 30% of a static model's classify time as
/// 19-step searches over 366,000 keys, most steps a cache miss; with the IDF in a separate array
/// each bigram still cost two misses, now one. Built in one pass when the table is made (a
/// millisecond for 366,000 keys; 8 bytes a bigram).
struct TermIndex: Sendable, Equatable {
    /// For token id t, the IDF of unigram t, or 0 where the table lacks it (IDFs are positive).
    private let unigramIDF: [Float]
    /// Bigrams with first part h (key >> 32) sit at bigramStarts[h] ..< bigramStarts[h + 1].
    private let bigramStarts: [Int32]
    /// The bigrams in key order: second token and IDF.
    private let bigrams: [Bigram]

    private struct Bigram: Sendable, Equatable {
        let second: UInt32
        let idf: Float
    }

    /// `terms` sorted ascending with their `idf`, as `LexicalTable` keeps them.
    init(sortedTerms terms: [UInt64], idf: [Float]) {
        let firstBigram = terms.firstIndex { $0 >> 32 != 0 } ?? terms.count
        var unigrams = [Float](repeating: 0, count: firstBigram == 0 ? 0 : Int(terms[firstBigram - 1]) + 1)
        for position in 0..<firstBigram { unigrams[Int(terms[position])] = idf[position] }
        unigramIDF = unigrams
        bigrams = (firstBigram..<terms.count).map { Bigram(second: UInt32(truncatingIfNeeded: terms[$0]), idf: idf[$0]) }
        let highest = terms.last.map { Int($0 >> 32) } ?? 0
        var starts = [Int32](repeating: Int32(bigrams.count), count: firstBigram == terms.count ? 0 : highest + 2)
        var position = terms.count - 1
        // Walking down from the end, each first part's start is the lowest position holding it.
        if !starts.isEmpty {
            for high in stride(from: highest, through: 0, by: -1) {
                while position >= firstBigram && Int(terms[position] >> 32) >= high { position -= 1 }
                starts[high] = Int32(position + 1 - firstBigram)
            }
        }
        bigramStarts = starts
    }

    /// The IDF of `term`, or nil when the table lacks it.
    func idf(of term: UInt64) -> Float? {
        let high = Int(term >> 32)
        if high == 0 {
            guard term < UInt64(unigramIDF.count) else { return nil }
            let value = unigramIDF[Int(term)]
            return value == 0 ? nil : value
        }
        guard high + 1 < bigramStarts.count else { return nil }
        let second = UInt32(truncatingIfNeeded: term)
        var low = Int(bigramStarts[high])
        let end = Int(bigramStarts[high + 1])
        var upper = end
        while low < upper {
            let middle = (low + upper) / 2
            if bigrams[middle].second < second { low = middle + 1 } else { upper = middle }
        }
        return low < end && bigrams[low].second == second ? bigrams[low].idf : nil
    }
}
