import Foundation
import Storage

/// A split file beside a corpus (`domains.split` for `domains.tsv`): `label<TAB>split` per
/// line, split one of train, val, test. Blank lines and `#` comments are ignored.
public enum SplitFile {
    public static func read(_ path: String) throws -> [String: Split] {
        var splits: [String: Split] = [:]
        var lineNumber = 0
        try LineReader(path: path).forEachLine { bytes in
            lineNumber += 1
            var line = String(decoding: bytes, as: UTF8.self)
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { return }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw CorpusError.invalidSplitLine(path: path, line: lineNumber, reason: "expected exactly one tab")
            }
            guard let split = Split(rawValue: String(fields[1])) else {
                throw CorpusError.invalidSplitLine(path: path, line: lineNumber, reason: "unknown split '\(fields[1])'")
            }
            splits[String(fields[0])] = split
        }
        return splits
    }

    /// The split file that belongs to a corpus file: same folder and stem, extension `.split`.
    public static func path(besides corpus: String) -> String {
        ((corpus as NSString).deletingPathExtension) + ".split"
    }
}
