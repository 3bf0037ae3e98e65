/// The byte classes of the ASCII fast path (`Tokenizer`'s per-byte lookup table).
enum ASCIIClass {
    static let deleted: UInt8 = 0
    static let space: UInt8 = 1
    static let punctuation: UInt8 = 2
    static let letter: UInt8 = 3
}
