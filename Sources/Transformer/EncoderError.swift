/// Errors about an encoder's configuration, input or file, with messages for the user.
public enum EncoderError: Error, CustomStringConvertible, Equatable {
    case invalidConfig(String)
    case invalidInput(String)
    case invalidModel(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfig(let message): return "invalid encoder configuration: \(message)"
        case .invalidInput(let message): return message
        case .invalidModel(let path, let reason): return "'\(path)': \(reason)"
        }
    }
}
