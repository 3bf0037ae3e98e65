/// BERT's text normalization, scalar by scalar, as HuggingFace's `BertNormalizer` with
/// `clean_text`, `handle_chinese_chars`, `strip_accents` and `lowercase` all on:
///
/// 1. clean: delete U+0000, U+FFFD and control/format/private-use code points (tab, LF and CR
///    are whitespace, not control); every whitespace code point becomes a space;
/// 2. put a space on both sides of each CJK ideograph;
/// 3. NFD-decompose and delete non-spacing marks (so "é" -> "e", "İ" -> "I");
/// 4. lowercase scalar by scalar (no final-sigma rule, no case folding: "ß" and "ﬁ" stay).
///
/// Every step maps one scalar to zero or more scalars independently of its neighbours, so the
/// whole pipeline is a per-scalar table, precomputed for the Basic Multilingual Plane.
/// One simplification is deliberate: canonical reordering of two adjacent *kept* combining
/// marks is skipped (non-spacing marks, the only common case, are deleted anyway).
public struct BertNormalizer: Sendable {
    /// The shared per-scalar table; built once per process (about 65k utf8proc look-ups).
    static let table = NormalizationTable()

    public init() {}

    /// The normalized scalars for one input scalar.
    public func normalize(scalar: UInt32) -> [UInt32] {
        Self.table.mapping(of: scalar)
    }

    /// Normalizes UTF-8 `input` (invalid bytes are dropped, as BERT drops U+FFFD) and appends
    /// the result, as valid UTF-8, to `output`.
    public func normalize(_ input: UnsafeBufferPointer<UInt8>, appendingTo output: inout [UInt8]) {
        guard let base = input.baseAddress else { return }
        let table = Self.table
        var index = 0
        let end = input.count
        while index < end {
            let byte = base[index]
            if byte < 0x80 {
                let mapped = asciiNormalization[Int(byte)]
                if mapped != 0 { output.append(mapped) }
                index += 1
                continue
            }
            let (scalar, length) = UTF8Scalars.decode(base, at: index, end: end)
            index += length
            table.appendMapping(of: scalar, to: &output)
        }
    }

    /// The string form, for tests and tools.
    public func normalize(_ text: String) -> String {
        var output: [UInt8] = []
        var utf8 = Array(text.utf8)
        utf8.withUnsafeMutableBufferPointer { normalize(UnsafeBufferPointer($0), appendingTo: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}

/// ASCII normalization as a byte table: 0 = delete (controls), space for whitespace,
/// lowercase for letters, the byte itself otherwise.
let asciiNormalization: [UInt8] = (0..<128).map { (byte: Int) -> UInt8 in
    switch byte {
    case 0x09, 0x0A, 0x0D, 0x20: return 0x20
    case 0x00...0x1F, 0x7F: return 0
    case 0x41...0x5A: return UInt8(byte + 32)
    default: return UInt8(byte)
    }
}
