/// Text to BERT token ids, byte for byte as HuggingFace's `BertWordPieceTokenizer`
/// (lowercase, strip accents, clean text, CJK handling) on the same `vocab.txt`.
///
/// The pipeline per line: special tokens written literally (`[CLS]`, `[MASK]`, ...) are kept
/// whole; the text between them is normalized (`BertNormalizer`), split into words
/// (`BertPreTokenizer`) and into pieces (`WordPiece`); the result is truncated to
/// `maxLength - 2` and framed as `[CLS] ... [SEP]`.
///
/// Plain-ASCII text takes a fused path that normalizes and splits in one pass over the bytes;
/// tests check it against the general path.
public struct Tokenizer: Sendable {
    public let vocabulary: Vocabulary
    public let wordPiece: WordPiece
    public let normalizer = BertNormalizer()
    public let preTokenizer = BertPreTokenizer()
    public let classifierID: Int32
    public let separatorID: Int32
    public let paddingID: Int32
    /// Special tokens matched literally in raw input, longest first (leftmost-longest match).
    private let literalSpecialTokens: [(bytes: [UInt8], id: Int32)]

    public static let specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]

    public init(vocabulary: Vocabulary) throws {
        self.vocabulary = vocabulary
        self.wordPiece = try WordPiece(vocabulary: vocabulary)
        guard let cls = vocabulary.id(of: "[CLS]") else { throw TokenizationError.missingSpecialToken("[CLS]") }
        guard let sep = vocabulary.id(of: "[SEP]") else { throw TokenizationError.missingSpecialToken("[SEP]") }
        classifierID = cls
        separatorID = sep
        paddingID = vocabulary.id(of: "[PAD]") ?? 0
        literalSpecialTokens = Self.specialTokens.compactMap { token in
            vocabulary.id(of: token).map { (Array(token.utf8), $0) }
        }.sorted { $0.bytes.count > $1.bytes.count }
    }

    public init(vocabularyFile path: String) throws {
        try self.init(vocabulary: Vocabulary(contentsOf: path))
    }

    /// Reusable buffers, one per thread, so encoding allocates nothing in steady state.
    public struct Scratch {
        var normalized: [UInt8] = []
        var words: [Range<Int>] = []
        public init() {}
    }

    /// Replaces `ids` with the encoding of one line of UTF-8 (invalid bytes are dropped).
    ///
    /// - Parameters:
    ///   - maxLength: total length including `[CLS]`/`[SEP]` when they are added (at least 2);
    ///     nil for no truncation.
    ///   - addSpecialTokens: frame with `[CLS]` and `[SEP]`, as BERT models expect.
    public func encode(
        _ line: UnsafeBufferPointer<UInt8>, maxLength: Int? = nil, addSpecialTokens: Bool = true,
        into ids: inout [Int32], scratch: inout Scratch
    ) {
        ids.removeAll(keepingCapacity: true)
        let framing = addSpecialTokens ? 2 : 0
        let limit = maxLength.map { max(0, $0 - framing) } ?? Int.max
        if addSpecialTokens { ids.append(classifierID) }
        let bodyStart = ids.count
        let stopAt = limit == Int.max ? Int.max : bodyStart + limit
        if let base = line.baseAddress {
            var segmentStart = 0
            var index = 0
            let end = line.count
            while index < end && ids.count - bodyStart < limit {
                if base[index] == UInt8(ascii: "["), let special = specialToken(at: index, in: line) {
                    encodePlain(UnsafeBufferPointer(rebasing: line[segmentStart..<index]), into: &ids, scratch: &scratch, limit: stopAt)
                    if ids.count - bodyStart < limit { ids.append(special.id) }
                    index += special.length
                    segmentStart = index
                } else {
                    index += 1
                }
            }
            if segmentStart < end && ids.count - bodyStart < limit {
                encodePlain(UnsafeBufferPointer(rebasing: line[segmentStart..<end]), into: &ids, scratch: &scratch, limit: stopAt)
            }
        }
        if ids.count - bodyStart > limit { ids.removeSubrange((bodyStart + limit)...) }
        if addSpecialTokens { ids.append(separatorID) }
    }

    /// The encoding of a string, for tests and tools.
    public func encode(_ text: String, maxLength: Int? = nil, addSpecialTokens: Bool = true) -> [Int32] {
        var ids: [Int32] = []
        var scratch = Scratch()
        let bytes = Array(text.utf8)
        bytes.withUnsafeBufferPointer {
            encode($0, maxLength: maxLength, addSpecialTokens: addSpecialTokens, into: &ids, scratch: &scratch)
        }
        return ids
    }

    /// The token strings for ids (for display).
    public func tokens(for ids: [Int32]) -> [String] {
        ids.map { vocabulary.tokens[Int($0)] }
    }

    private func specialToken(at index: Int, in line: UnsafeBufferPointer<UInt8>) -> (id: Int32, length: Int)? {
        for special in literalSpecialTokens where index + special.bytes.count <= line.count {
            var matches = true
            for offset in 0..<special.bytes.count where line[index + offset] != special.bytes[offset] {
                matches = false
                break
            }
            if matches { return (special.id, special.bytes.count) }
        }
        return nil
    }

    /// Encodes text that holds no literal special token; stops once `ids` reaches `limit`
    /// (truncation keeps the first tokens, so nothing after can matter).
    @inline(__always)
    func encodePlain(
        _ text: UnsafeBufferPointer<UInt8>, into ids: inout [Int32], scratch: inout Scratch, limit: Int, forceGeneralPath: Bool = false
    ) {
        guard text.count > 0 else { return }
        if !forceGeneralPath && isASCII(text) {
            encodeASCII(text, into: &ids, scratch: &scratch, limit: limit)
            return
        }
        scratch.normalized.removeAll(keepingCapacity: true)
        scratch.words.removeAll(keepingCapacity: true)
        normalizer.normalize(text, appendingTo: &scratch.normalized)
        scratch.normalized.withUnsafeBufferPointer { normalized in
            preTokenizer.split(normalized, appendingTo: &scratch.words)
            for word in scratch.words {
                if ids.count >= limit { break }
                wordPiece.encode(normalized.baseAddress! + word.lowerBound, count: word.count, appendingTo: &ids)
            }
        }
    }

    /// Normalization and pre-tokenization fused for ASCII: controls vanish (without splitting
    /// the word), whitespace ends a word, ASCII symbols are words of their own, letters are
    /// lowercased.
    private func encodeASCII(_ text: UnsafeBufferPointer<UInt8>, into ids: inout [Int32], scratch: inout Scratch, limit: Int) {
        let count = text.count
        if scratch.normalized.count < count { scratch.normalized = [UInt8](repeating: 0, count: max(count, 256)) }
        scratch.normalized.withUnsafeMutableBufferPointer { wordBuffer in
            let word = wordBuffer.baseAddress!
            let input = text.baseAddress!
            var length = 0
            var index = 0
            while index < count {
                let byte = input[index]
                index += 1
                switch asciiClass[Int(byte)] {
                case ASCIIClass.letter:
                    word[length] = asciiNormalization[Int(byte)]
                    length += 1
                case ASCIIClass.space:
                    if length > 0 {
                        wordPiece.encode(word, count: length, appendingTo: &ids)
                        length = 0
                        if ids.count >= limit { return }
                    }
                case ASCIIClass.punctuation:
                    if length > 0 {
                        wordPiece.encode(word, count: length, appendingTo: &ids)
                        length = 0
                    }
                    word[0] = byte
                    wordPiece.encode(word, count: 1, appendingTo: &ids)
                    if ids.count >= limit { return }
                default:
                    break
                }
            }
            if length > 0 { wordPiece.encode(word, count: length, appendingTo: &ids) }
        }
    }

    /// Testing hook: the general (non-ASCII) path on any text.
    public func encodeWithoutASCIIFastPath(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        var scratch = Scratch()
        Array(text.utf8).withUnsafeBufferPointer { encodePlain($0, into: &ids, scratch: &scratch, limit: .max, forceGeneralPath: true) }
        return ids
    }
}

/// The class of each ASCII byte for the fused path (see `encodeASCII`).
let asciiClass: [UInt8] = (0..<256).map { (byte: Int) -> UInt8 in
    guard byte < 0x80 else { return ASCIIClass.deleted }
    if byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x20 { return ASCIIClass.space }
    if byte < 0x20 || byte == 0x7F { return ASCIIClass.deleted }
    if BertCharacterClasses.isPunctuation(UInt32(byte)) { return ASCIIClass.punctuation }
    return ASCIIClass.letter
}

/// Whether every byte is below 0x80, eight bytes at a time.
@inline(__always)
func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    guard let base = bytes.baseAddress else { return true }
    let raw = UnsafeRawPointer(base)
    var index = 0
    let count = bytes.count
    while index + 8 <= count {
        if raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
        index += 8
    }
    while index < count {
        if base[index] >= 0x80 { return false }
        index += 1
    }
    return true
}
