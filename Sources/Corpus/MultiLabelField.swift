import Foundation

/// The label field of a multi-label example: labels separated by commas (`sport,politics`),
/// spaces around each trimmed. A field that could be read two ways is refused with its file and
/// line rather than guessed at: an empty label (`a,,b`, a leading or trailing comma) or a label
/// listed twice.
public enum MultiLabelField {
    public static let separator: Character = ","

    /// The labels of `field`, in order; `path` and `line` name the line in errors.
    public static func labels(_ field: String, path: String, line: Int) throws -> [String] {
        let labels = field.split(separator: separator, omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        if labels.contains(where: \.isEmpty) {
            throw CorpusError.invalidLine("\(path):\(line): empty label in '\(field)' (labels are separated by single commas)")
        }
        var seen = Set<String>()
        for label in labels where !seen.insert(label).inserted {
            throw CorpusError.invalidLine("\(path):\(line): label '\(label)' is listed twice in '\(field)'")
        }
        return labels
    }
}
