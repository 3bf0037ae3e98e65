import Foundation

/// A WordPiece vocabulary: BERT's `vocab.txt`, one token per line, the id being the line
/// number from 0. Continuation pieces carry the `##` prefix.
///
/// Reading follows the reference: each line loses trailing whitespace (so CRLF files work), and
/// a token listed twice keeps its last line's id for look-ups.
public struct Vocabulary: Sendable {
    public static let continuationPrefix = "##"

    /// Tokens by id, exactly as listed.
    public let tokens: [String]
    /// Whole tokens (word starts are looked up here).
    let words: ByteSliceTable
    /// Tokens that begin with `##`, keyed without the prefix (word continuations).
    let continuations: ByteSliceTable
    /// A 64-bit FNV-1a hash of the token list, hex: identifies the vocabulary an index or model
    /// was made with.
    public let fingerprint: String

    public var count: Int { tokens.count }

    public init(tokens: [String]) {
        self.tokens = tokens
        var words = ByteSliceTable(expectedCount: tokens.count)
        var continuations = ByteSliceTable(expectedCount: tokens.count)
        var fingerprintHash: UInt64 = 0xcbf2_9ce4_8422_2325
        // Each token's UTF-8 is read in place, with no array made per token.
        for (id, var token) in tokens.enumerated() {
            token.withUTF8 { bytes in
                words.insert(bytes, id: Int32(id))
                if bytes.count >= 2 && bytes[0] == UInt8(ascii: "#") && bytes[1] == UInt8(ascii: "#") {
                    continuations.insert(UnsafeBufferPointer(rebasing: bytes[2...]), id: Int32(id))
                }
                for byte in bytes { fingerprintHash = (fingerprintHash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            }
            fingerprintHash = (fingerprintHash ^ 0x0A) &* 0x100_0000_01b3
        }
        self.words = words
        self.continuations = continuations
        self.fingerprint = Self.fingerprintText(fingerprintHash)
    }

    /// Loads a `vocab.txt`. Lines must be valid UTF-8; an empty file is an error.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            let reason = FileManager.default.fileExists(atPath: path) ? "permission denied or not a file" : "no such file"
            throw TokenizationError.cannotRead(path: path, reason: reason)
        }
        var tokens: [String] = []
        var lineNumber = 0
        for line in data.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            guard let text = String(validating: line, as: UTF8.self) else {
                throw TokenizationError.invalidVocabulary(path: path, line: lineNumber, reason: "not valid UTF-8")
            }
            tokens.append(
                String(
                    text.unicodeScalars.reversed().drop(while: { $0.properties.isWhitespace }).reversed()
                        .map(Character.init)))
        }
        if data.last == 0x0A { tokens.removeLast() }
        guard !tokens.isEmpty, !(tokens.count == 1 && tokens[0].isEmpty) else {
            throw TokenizationError.emptyVocabulary(path: path)
        }
        self.init(tokens: tokens)
    }

    /// The id a token string looks up to, or nil.
    public func id(of token: String) -> Int32? {
        var bytes = Array(token.utf8)
        let id = bytes.withUnsafeMutableBufferPointer { buffer in
            words.id(UnsafePointer(buffer.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!), buffer.count)
        }
        return id >= 0 ? id : nil
    }

    /// A fingerprint as 16 hex digits (the form stored in indexes and models).
    public static func fingerprintText(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// The `vocab.txt` form: one token per line.
    public var fileText: String { tokens.joined(separator: "\n") + "\n" }

    /// The inverse of `fileText`. Split on the newline byte, not on Characters: the same
    /// tokens (none ends in a carriage return, so no "\r\n" cluster hides a newline), at a
    /// fraction of the cost on every model load.
    public init(fileText: String) {
        var text = fileText
        let tokens = text.withUTF8 { bytes in
            bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast().map { String(decoding: $0, as: UTF8.self) }
        }
        self.init(tokens: tokens)
    }

    /// Writes the vocabulary as `vocab.txt` (one token per line), atomically.
    public func write(to path: String) throws {
        do {
            try Data(fileText.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TokenizationError.cannotRead(path: path, reason: "cannot write: \(error.localizedDescription)")
        }
    }
}
