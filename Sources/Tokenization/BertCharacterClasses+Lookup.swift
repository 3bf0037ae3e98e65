extension BertCharacterClasses {
    /// Whether `scalar` lies in one of the sorted, disjoint `ranges` (binary search).
    static func contains(_ ranges: [ClosedRange<UInt32>], _ scalar: UInt32) -> Bool {
        var low = 0
        var high = ranges.count
        while low < high {
            let mid = (low + high) / 2
            if ranges[mid].upperBound < scalar {
                low = mid + 1
            } else {
                high = mid
            }
        }
        return low < ranges.count && ranges[low].contains(scalar)
    }

    /// Whitespace as the reference sees it: tab, LF, CR and the Unicode White_Space property.
    static func isWhitespace(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F,
            0x3000:
            return true
        default:
            return false
        }
    }

    /// CJK ideographs that BERT surrounds with spaces so each becomes its own word. These are
    /// the reference's ranges (the CJK Unified Ideographs blocks and extensions it knows, plus
    /// the compatibility ideographs), not the full Unicode Ideographic property.
    static func isChineseCharacter(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B81F,
            0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// Punctuation as the pre-tokenizer sees it: every ASCII non-alphanumeric graphic character
    /// (so `$`, `+`, `<`, `^`, `|` count) plus the reference's Unicode punctuation categories.
    static func isPunctuation(_ scalar: UInt32) -> Bool {
        if scalar < 0x80 {
            return (0x21...0x2F).contains(scalar) || (0x3A...0x40).contains(scalar)
                || (0x5B...0x60).contains(scalar) || (0x7B...0x7E).contains(scalar)
        }
        return contains(nonASCIIPunctuation, scalar)
    }
}
