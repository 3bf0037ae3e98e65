/// BERT's pre-tokenization of normalized text: split on whitespace (dropped) and make every
/// punctuation scalar a word of its own, as HuggingFace's `BertPreTokenizer` does.
///
/// "Punctuation" includes all ASCII symbols (`$`, `+`, `^`, `|`, ...), not only Unicode's P*
/// categories; see `BertCharacterClasses.isPunctuation`.
public struct BertPreTokenizer: Sendable {
    public init() {}

    /// Appends the byte ranges of the words of valid UTF-8 `text` to `words`, in order.
    public func split(_ text: UnsafeBufferPointer<UInt8>, appendingTo words: inout [Range<Int>]) {
        guard let base = text.baseAddress else { return }
        let end = text.count
        var wordStart = -1
        var index = 0
        while index < end {
            let (scalar, length) = UTF8Scalars.decode(base, at: index, end: end)
            let isSpace = BertCharacterClasses.isWhitespace(scalar)
            if isSpace || BertCharacterClasses.isPunctuation(scalar) {
                if wordStart >= 0 {
                    words.append(wordStart..<index)
                    wordStart = -1
                }
                if !isSpace { words.append(index..<index + length) }
            } else if wordStart < 0 {
                wordStart = index
            }
            index += length
        }
        if wordStart >= 0 { words.append(wordStart..<end) }
    }

    /// The string form, for tests and tools.
    public func split(_ text: String) -> [String] {
        let utf8 = Array(text.utf8)
        var words: [Range<Int>] = []
        utf8.withUnsafeBufferPointer { split($0, appendingTo: &words) }
        return words.map { String(decoding: utf8[$0], as: UTF8.self) }
    }
}
