import Foundation

extension JSONEncoder {
    /// An encoder with sorted keys: the same value always gives the same bytes, so files that
    /// store JSON metadata are identical for identical content (a dictionary's order is not).
    public static var sorted: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }
}
