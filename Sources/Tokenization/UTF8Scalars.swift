/// Decoding and encoding of UTF-8 on raw bytes, without building `String`s.
///
/// Invalid input is never an error here: BERT replaces undecodable bytes with U+FFFD and then
/// deletes U+FFFD while cleaning text, so the decoder reports each maximal invalid subpart as
/// U+FFFD and the normalizer drops it. How many U+FFFD an invalid run yields cannot change the
/// tokens.
enum UTF8Scalars {
    static let replacement: UInt32 = 0xFFFD

    /// Decodes the scalar starting at `index` in `bytes[..<end]`; returns it and its length in
    /// bytes (at least 1). Overlong forms, surrogates and values above U+10FFFF are invalid.
    @inline(__always)
    static func decode(_ bytes: UnsafePointer<UInt8>, at index: Int, end: Int) -> (scalar: UInt32, length: Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (lead, 1) }
        func continuation(_ offset: Int) -> UInt32? {
            guard index + offset < end else { return nil }
            let byte = bytes[index + offset]
            return byte & 0xC0 == 0x80 ? UInt32(byte & 0x3F) : nil
        }
        switch lead {
        case 0xC2...0xDF:
            guard let c1 = continuation(1) else { return (replacement, 1) }
            return ((lead & 0x1F) << 6 | c1, 2)
        case 0xE0...0xEF:
            guard let c1 = continuation(1) else { return (replacement, 1) }
            if lead == 0xE0 && c1 < 0x20 || lead == 0xED && c1 >= 0x20 { return (replacement, 1) }
            guard let c2 = continuation(2) else { return (replacement, 2) }
            return ((lead & 0x0F) << 12 | c1 << 6 | c2, 3)
        case 0xF0...0xF4:
            guard let c1 = continuation(1) else { return (replacement, 1) }
            if lead == 0xF0 && c1 < 0x10 || lead == 0xF4 && c1 >= 0x10 { return (replacement, 1) }
            guard let c2 = continuation(2) else { return (replacement, 2) }
            guard let c3 = continuation(3) else { return (replacement, 3) }
            return ((lead & 0x07) << 18 | c1 << 12 | c2 << 6 | c3, 4)
        default:
            return (replacement, 1)
        }
    }

    /// Appends the UTF-8 encoding of a valid scalar.
    @inline(__always)
    static func append(_ scalar: UInt32, to bytes: inout [UInt8]) {
        switch scalar {
        case 0..<0x80:
            bytes.append(UInt8(scalar))
        case 0x80..<0x800:
            bytes.append(UInt8(0xC0 | scalar >> 6))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            bytes.append(UInt8(0xE0 | scalar >> 12))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        default:
            bytes.append(UInt8(0xF0 | scalar >> 18))
            bytes.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            bytes.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            bytes.append(UInt8(0x80 | scalar & 0x3F))
        }
    }

    /// Whether a byte starts a scalar (is not a continuation byte).
    @inline(__always)
    static func isScalarStart(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }
}
