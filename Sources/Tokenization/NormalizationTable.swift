/// The BERT normalization of every scalar: precomputed for U+0000...U+FFFF, computed on demand
/// above (emoji, rare CJK: correct, a little slower).
///
/// A BMP entry is one `UInt32`: the mapped scalar itself (bit 31 clear, bit 30 clear), "delete"
/// (bit 30 set), or a sequence in `pool` (bit 31 set: length in bits 24...29, offset below).
final class NormalizationTable: Sendable {
    private static let deleteTag: UInt32 = 1 << 30
    private static let sequenceTag: UInt32 = 1 << 31

    private let bmp: [UInt32]
    private let pool: [UInt32]

    init() {
        var bmp = [UInt32](repeating: 0, count: 0x10000)
        var pool: [UInt32] = []
        for scalar in 0..<UInt32(0x10000) {
            if (0xD800...0xDFFF).contains(scalar) {
                bmp[Int(scalar)] = Self.deleteTag
                continue
            }
            let mapped = Self.compute(scalar)
            switch mapped.count {
            case 0: bmp[Int(scalar)] = Self.deleteTag
            case 1: bmp[Int(scalar)] = mapped[0]
            default:
                bmp[Int(scalar)] = Self.sequenceTag | UInt32(mapped.count) << 24 | UInt32(pool.count)
                pool.append(contentsOf: mapped)
            }
        }
        self.bmp = bmp
        self.pool = pool
    }

    /// The normalized scalars for `scalar` (see `BertNormalizer` for the steps).
    static func compute(_ scalar: UInt32) -> [UInt32] {
        let classes = BertCharacterClasses.self
        if scalar == 0 || scalar == UTF8Scalars.replacement { return [] }
        let isLineBreakOrTab = scalar == 0x09 || scalar == 0x0A || scalar == 0x0D
        if !isLineBreakOrTab && classes.contains(classes.removed, scalar) { return [] }
        if classes.isWhitespace(scalar) { return [0x20] }
        var result: [UInt32] = []
        let isChinese = classes.isChineseCharacter(scalar)
        if isChinese { result.append(0x20) }
        for part in UnicodeData.canonicalDecomposition(of: scalar)
        where !classes.contains(classes.nonSpacingMarks, part) {
            result.append(contentsOf: UnicodeData.lowercase(of: part))
        }
        if isChinese { result.append(0x20) }
        return result
    }

    func mapping(of scalar: UInt32) -> [UInt32] {
        guard scalar < 0x10000 else { return Self.compute(scalar) }
        let entry = bmp[Int(scalar)]
        if entry & Self.sequenceTag != 0 {
            let offset = Int(entry & 0xFF_FFFF)
            return Array(pool[offset..<offset + Int(entry >> 24 & 0x3F)])
        }
        return entry & Self.deleteTag != 0 ? [] : [entry]
    }

    /// Appends the UTF-8 of the normalized form of `scalar` to `output`.
    @inline(__always)
    func appendMapping(of scalar: UInt32, to output: inout [UInt8]) {
        guard scalar < 0x10000 else {
            for mapped in Self.compute(scalar) { UTF8Scalars.append(mapped, to: &output) }
            return
        }
        let entry = bmp[Int(scalar)]
        if entry & Self.sequenceTag != 0 {
            let offset = Int(entry & 0xFF_FFFF)
            let count = Int(entry >> 24 & 0x3F)
            for index in offset..<offset + count { UTF8Scalars.append(pool[index], to: &output) }
        } else if entry & Self.deleteTag == 0 {
            UTF8Scalars.append(entry, to: &output)
        }
    }
}
