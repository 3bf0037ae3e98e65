/// Errors about files: what went wrong and which file, in words for the user.
public enum StorageError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    /// The file is not of the expected kind (wrong magic number).
    case wrongFormat(path: String, expected: String)
    case unsupportedVersion(path: String, found: UInt32, supported: UInt32)
    case truncated(path: String, detail: String)
    case corrupted(path: String, detail: String)
    /// A file would be written where something other than a regular file is (a directory,
    /// device, FIFO or socket).
    case notARegularFile(path: String, kind: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): return "cannot open '\(path)': \(reason)"
        case .cannotRead(let path, let reason): return "cannot read '\(path)': \(reason)"
        case .cannotWrite(let path, let reason): return "cannot write '\(path)': \(reason)"
        case .wrongFormat(let path, let expected): return "'\(path)' is not \(expected) (wrong magic number)"
        case .unsupportedVersion(let path, let found, let supported):
            return "'\(path)' has format version \(found); this fewshot reads version \(supported)"
        case .truncated(let path, let detail): return "'\(path)' is truncated (\(detail))"
        case .corrupted(let path, let detail): return "'\(path)' is corrupted (\(detail))"
        case .notARegularFile(let path, let kind):
            return "'\(path)' is \(kind), not a regular file; fewshot writes only regular files"
        }
    }
}
