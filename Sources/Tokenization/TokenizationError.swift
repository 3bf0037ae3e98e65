/// Errors caused by files or input handed to the tokenizer, with messages for the user.
public enum TokenizationError: Error, CustomStringConvertible, Equatable {
    case cannotRead(path: String, reason: String)
    case invalidVocabulary(path: String, line: Int, reason: String)
    case missingSpecialToken(String)
    case emptyVocabulary(path: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case .cannotRead(let path, let reason):
            return "cannot read '\(path)': \(reason)"
        case .invalidVocabulary(let path, let line, let reason):
            return "\(path):\(line): invalid vocabulary entry: \(reason)"
        case .missingSpecialToken(let token):
            return "the vocabulary has no \(token) token (a BERT vocab.txt lists [PAD] [UNK] [CLS] [SEP] [MASK])"
        case .emptyVocabulary(let path):
            return "'\(path)' holds no tokens"
        case .invalidArgument(let message):
            return message
        }
    }
}
