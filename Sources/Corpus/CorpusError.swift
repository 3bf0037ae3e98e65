/// Errors about corpora, split files and indexes, with messages for the user.
public enum CorpusError: Error, CustomStringConvertible, Equatable {
    case invalidSplitLine(path: String, line: Int, reason: String)
    case labelMissingFromSplit(path: String, line: Int, label: String, splitFile: String)
    case vocabularyMismatch(path: String, index: String, vocabulary: String)
    case noExamples(String)
    case notEnoughClasses(String)
    /// A line of a user's file that cannot be used, as `path:line: reason`.
    case invalidLine(String)

    public var description: String {
        switch self {
        case .invalidSplitLine(let path, let line, let reason):
            return "\(path):\(line): \(reason) (expected label<TAB>train|val|test)"
        case .labelMissingFromSplit(let path, let line, let label, let splitFile):
            return "\(path):\(line): label '\(label)' is not listed in \(splitFile)"
        case .vocabularyMismatch(let path, let index, let vocabulary):
            return "'\(path)' was indexed with vocabulary \(index), but this vocabulary is \(vocabulary): re-run 'fewshot index' with it"
        case .noExamples(let message), .notEnoughClasses(let message), .invalidLine(let message):
            return message
        }
    }
}
