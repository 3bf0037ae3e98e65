import Storage
import Tokenization

/// A tokenized, indexed set of labelled corpora, memory-mapped from a `.fsi` file.
///
/// File layout (little-endian; sections start on 8-byte boundaries):
///
///     header, 72 bytes:
///       0  magic "FSINDEX\0"        8  format version (u32)    12 max length (u32)
///       16 vocabulary fingerprint (u64)                         24 family count F (u32)
///       28 label count L (u32)      32 example count E (u64)    40 token count T (u64)
///       48 string bytes S (u64)     56 text bytes X (u64)
///       64 checksum of header bytes 0..<64 and everything after the header (u64)
///     families  F x (name offset u32, name length u32)
///     labels    L x (name offset u32, name length u32, family u32, split u32)
///     example labels   E x u32
///     example offsets  (E + 1) x u64, into tokens
///     tokens    T x u32: the ids of each example, [CLS] ... [SEP], truncated to max length
///     strings   S bytes of UTF-8 (names), padded to 8
///     text offsets  (E + 1) x u64, into texts
///     texts     X bytes: each example's text as it was in the corpus (UTF-8 as given), so
///               models with another vocabulary can re-tokenize it
public final class CorpusIndex: @unchecked Sendable {
    public static let magic: [UInt8] = Array("FSINDEX".utf8) + [0]
    public static let version: UInt32 = 2
    static let headerSize = 72

    public struct Label: Sendable, Equatable {
        public let name: String
        public let family: String
        public let split: Split
    }

    public let path: String
    public let maxLength: Int
    public let vocabularyFingerprint: String
    public let families: [String]
    public let labels: [Label]
    public let exampleCount: Int
    public let tokenCount: Int
    /// The checksum over the file's content (what changes whenever the indexed corpora change).
    public let checksum: UInt64
    /// Example ids of each label, in file order.
    public let examplesByLabel: [[Int]]

    private let file: MappedFile
    private let exampleLabelTable: UnsafePointer<UInt32>
    private let offsetTable: UnsafePointer<UInt64>
    private let tokenTable: UnsafePointer<UInt32>
    private let textOffsetTable: UnsafePointer<UInt64>
    private let textBase: UnsafeRawPointer

    /// Opens and validates an index; with `vocabularyFingerprint`, refuses one made with
    /// another vocabulary.
    public init(path: String, expectingVocabulary expected: String? = nil) throws {
        file = try MappedFile(path: path)
        self.path = path
        let bytes = file.bytes
        guard bytes.count >= 8, Array(bytes[0..<8]) == Self.magic else {
            throw StorageError.wrongFormat(path: path, expected: "a fewshot index (.fsi)")
        }
        var reader = BinaryReader(bytes, path: path, offset: 8)
        let version = try reader.read(UInt32.self, "format version")
        guard version == Self.version else {
            throw StorageError.unsupportedVersion(path: path, found: version, supported: Self.version)
        }
        maxLength = Int(try reader.read(UInt32.self, "max length"))
        let fingerprint = try reader.read(UInt64.self, "vocabulary fingerprint")
        vocabularyFingerprint = Vocabulary.fingerprintText(fingerprint)
        let familyCount = Int(try reader.read(UInt32.self, "family count"))
        let labelCount = Int(try reader.read(UInt32.self, "label count"))
        // Counts come before the checksum can be verified: bound them by the file size first.
        func count(_ what: String) throws -> Int {
            let value = try reader.read(UInt64.self, what)
            guard value <= UInt64(bytes.count) else {
                throw StorageError.corrupted(path: path, detail: "\(what) \(value) exceeds the file size")
            }
            return Int(value)
        }
        exampleCount = try count("example count")
        tokenCount = try count("token count")
        let stringBytes = try count("string bytes")
        let textBytes = try count("text bytes")
        checksum = try reader.read(UInt64.self, "checksum")
        let expectedSize = Self.fileSize(
            families: familyCount, labels: labelCount, examples: exampleCount, tokens: tokenCount, strings: stringBytes, texts: textBytes)
        guard bytes.count >= expectedSize else {
            throw StorageError.truncated(path: path, detail: "\(bytes.count) bytes, the header announces \(expectedSize)")
        }
        guard bytes.count == expectedSize else {
            throw StorageError.corrupted(path: path, detail: "\(bytes.count) bytes, the header announces \(expectedSize)")
        }
        let covered = Checksum.of(
            UnsafeRawBufferPointer(rebasing: bytes[0..<64]), UnsafeRawBufferPointer(rebasing: bytes[Self.headerSize...]))
        guard covered == checksum else {
            throw StorageError.corrupted(path: path, detail: "checksum mismatch")
        }
        if let expected, expected != vocabularyFingerprint {
            throw CorpusError.vocabularyMismatch(path: path, index: vocabularyFingerprint, vocabulary: expected)
        }
        let familyTable = try reader.slice(familyCount * 8, "family table")
        reader.align(to: 8)
        let labelTable = try reader.slice(labelCount * 16, "label table")
        reader.align(to: 8)
        let exampleLabels = try reader.slice(exampleCount * 4, "example labels")
        reader.align(to: 8)
        let offsets = try reader.slice((exampleCount + 1) * 8, "example offsets")
        let tokens = try reader.slice(tokenCount * 4, "tokens")
        reader.align(to: 8)
        let strings = try reader.slice(stringBytes, "strings")
        reader.align(to: 8)
        let textOffsets = try reader.slice((exampleCount + 1) * 8, "text offsets")
        let texts = try reader.slice(textBytes, "texts")

        func string(_ table: UnsafeRawBufferPointer, _ entry: Int, stride: Int) throws -> String {
            let offset = Int(UInt32(littleEndian: table.loadUnaligned(fromByteOffset: entry * stride, as: UInt32.self)))
            let length = Int(UInt32(littleEndian: table.loadUnaligned(fromByteOffset: entry * stride + 4, as: UInt32.self)))
            guard offset + length <= strings.count else {
                throw StorageError.corrupted(path: path, detail: "name outside the string table")
            }
            return String(decoding: UnsafeRawBufferPointer(rebasing: strings[offset..<offset + length]), as: UTF8.self)
        }
        families = try (0..<familyCount).map { try string(familyTable, $0, stride: 8) }
        var labels: [Label] = []
        for entry in 0..<labelCount {
            let family = Int(labelTable.loadUnaligned(fromByteOffset: entry * 16 + 8, as: UInt32.self))
            let splitCode = labelTable.loadUnaligned(fromByteOffset: entry * 16 + 12, as: UInt32.self)
            guard family < familyCount, let split = Split(code: splitCode) else {
                throw StorageError.corrupted(path: path, detail: "label \(entry) has an invalid family or split")
            }
            labels.append(Label(name: try string(labelTable, entry, stride: 16), family: families[family], split: split))
        }
        self.labels = labels
        exampleLabelTable = exampleLabels.baseAddress!.assumingMemoryBound(to: UInt32.self)
        offsetTable = offsets.baseAddress!.assumingMemoryBound(to: UInt64.self)
        tokenTable = tokenCount > 0 ? tokens.baseAddress!.assumingMemoryBound(to: UInt32.self) : UnsafePointer(bitPattern: 4)!
        textOffsetTable = textOffsets.baseAddress!.assumingMemoryBound(to: UInt64.self)
        textBase = texts.baseAddress ?? UnsafeRawPointer(bitPattern: 8)!
        var byLabel = [[Int]](repeating: [], count: labelCount)
        for example in 0..<exampleCount {
            let label = Int(exampleLabelTable[example])
            guard label < labelCount else { throw StorageError.corrupted(path: path, detail: "example \(example) has label \(label)") }
            let start = offsetTable[example]
            let end = offsetTable[example + 1]
            guard start <= end, end <= UInt64(tokenCount) else {
                throw StorageError.corrupted(path: path, detail: "example \(example) has invalid token offsets")
            }
            guard textOffsetTable[example] <= textOffsetTable[example + 1], textOffsetTable[example + 1] <= UInt64(textBytes) else {
                throw StorageError.corrupted(path: path, detail: "example \(example) has invalid text offsets")
            }
            byLabel[label].append(example)
        }
        examplesByLabel = byLabel
    }

    static func fileSize(families: Int, labels: Int, examples: Int, tokens: Int, strings: Int, texts: Int) -> Int {
        func aligned(_ n: Int) -> Int { (n + 7) / 8 * 8 }
        return headerSize + aligned(families * 8) + aligned(labels * 16) + aligned(examples * 4) + (examples + 1) * 8
            + aligned(tokens * 4) + aligned(strings) + (examples + 1) * 8 + texts
    }

    public func label(of example: Int) -> Int { Int(exampleLabelTable[example]) }

    /// The token ids of an example ([CLS] ... [SEP]).
    public func tokens(of example: Int) -> UnsafeBufferPointer<UInt32> {
        let start = Int(offsetTable[example])
        let end = Int(offsetTable[example + 1])
        return UnsafeBufferPointer(start: tokenTable + start, count: end - start)
    }

    /// The text of an example, as bytes of the corpus line.
    public func text(of example: Int) -> UnsafeBufferPointer<UInt8> {
        let start = Int(textOffsetTable[example])
        let end = Int(textOffsetTable[example + 1])
        return UnsafeBufferPointer(start: textBase.assumingMemoryBound(to: UInt8.self) + start, count: end - start)
    }

    /// Labels of `split` (and of `family` when given), as indices into `labels`.
    public func labelIDs(split: Split, family: String? = nil) -> [Int] {
        labels.indices.filter { labels[$0].split == split && (family == nil || labels[$0].family == family) }
    }

    /// The examples of every label of `split`, label by label.
    public func exampleIDs(split: Split) -> [Int] {
        labelIDs(split: split).flatMap { examplesByLabel[$0] }
    }
}
