/// Greedy longest-match-first WordPiece over one pre-tokenized word, as BERT does:
/// the longest vocabulary token that prefixes the word, then the longest `##` continuation
/// that prefixes the rest, and so on. A word with a piece that matches nothing, or longer than
/// `maxCharactersPerWord` scalars, becomes a single `[UNK]`.
///
/// Works on UTF-8 bytes; pieces end on scalar boundaries only. Candidate pieces start at the
/// longest key length in the vocabulary rather than the whole word, which gives the same result
/// (nothing longer can match) without hashing hopeless prefixes of long words.
public struct WordPiece: Sendable {
    public let vocabulary: Vocabulary
    public let unknownID: Int32
    public let maxCharactersPerWord: Int

    public init(vocabulary: Vocabulary, unknownToken: String = "[UNK]", maxCharactersPerWord: Int = 100) throws {
        guard let unknownID = vocabulary.id(of: unknownToken) else {
            throw TokenizationError.missingSpecialToken(unknownToken)
        }
        self.vocabulary = vocabulary
        self.unknownID = unknownID
        self.maxCharactersPerWord = maxCharactersPerWord
    }

    /// Appends the ids of `word` (non-empty, valid UTF-8) to `ids`.
    @inline(__always)
    public func encode(_ word: UnsafePointer<UInt8>, count: Int, appendingTo ids: inout [Int32]) {
        if count > maxCharactersPerWord {
            var scalars = 0
            for index in 0..<count where UTF8Scalars.isScalarStart(word[index]) { scalars += 1 }
            if scalars > maxCharactersPerWord {
                ids.append(unknownID)
                return
            }
        }
        let wordStartCount = ids.count
        var start = 0
        while start < count {
            let table = start == 0 ? vocabulary.words : vocabulary.continuations
            var end = min(count, start + table.maxKeyLength)
            var found: Int32 = -1
            while end > start {
                if end == count || UTF8Scalars.isScalarStart(word[end]) {
                    found = table.id(word + start, end - start)
                    if found >= 0 { break }
                }
                end -= 1
            }
            if found < 0 {
                ids.removeSubrange(wordStartCount...)
                ids.append(unknownID)
                return
            }
            ids.append(found)
            start = end
        }
    }
}
