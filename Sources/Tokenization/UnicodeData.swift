import CUtf8proc

/// Unicode facts that come from libutf8proc: canonical decomposition, case mapping and
/// canonical combining classes. This is the only file that talks to utf8proc.
///
/// The character *classes* BERT uses (control, non-spacing mark, punctuation) are not taken
/// from here: the reference tokenizer froze them at an older Unicode version, so they live in
/// the generated `BertCharacterClasses` tables instead.
enum UnicodeData {
    /// The full canonical (NFD) decomposition of one scalar, e.g. U+00E9 -> [U+0065, U+0301],
    /// U+D55C (Hangul) -> three jamo. A scalar without a decomposition maps to itself.
    /// Scalars newer than the reference's NFD tables stay whole (`BertCharacterClasses`).
    static func canonicalDecomposition(of scalar: UInt32) -> [UInt32] {
        if BertCharacterClasses.notDecomposed.contains(scalar) { return [scalar] }
        var buffer = [Int32](repeating: 0, count: 8)
        var lastBoundClass: Int32 = 0
        let count = buffer.withUnsafeMutableBufferPointer { out in
            utf8proc_decompose_char(
                Int32(bitPattern: scalar), out.baseAddress, 8, UTF8PROC_DECOMPOSE, &lastBoundClass)
        }
        guard count > 0, count <= 8 else { return [scalar] }
        return buffer[0..<count].map { UInt32(bitPattern: $0) }
    }

    /// The lowercase mapping BERT applies (Rust's `char::to_lowercase`): the simple mapping,
    /// except U+0130 (capital I with dot), whose full lowercase is two scalars. Letters newer
    /// than libutf8proc's Unicode get the reference's mapping from `BertCharacterClasses`.
    static func lowercase(of scalar: UInt32) -> [UInt32] {
        if scalar == 0x130 { return [0x69, 0x307] }
        let lowered = UInt32(bitPattern: utf8proc_tolower(Int32(bitPattern: scalar)))
        if lowered == scalar, let addition = BertCharacterClasses.lowercaseAdditions[scalar] { return [addition] }
        return [lowered]
    }
}
