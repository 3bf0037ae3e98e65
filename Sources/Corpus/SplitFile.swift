import Foundation
import Storage

/// A split file beside a corpus (`domains.split` for `domains.tsv`): `label<TAB>split` per
/// line, split one of train, val, test. Blank lines and `#` comments are ignored; a byte order
/// mark at the start and the spaces around a label are not part of it, as in the corpus
/// (`LabeledLine`). A label listed twice with two splits is an error: which one holds would
/// decide whether a test topic is trained on.
public enum SplitFile {
    public static func read(_ path: String) throws -> [String: Split] {
        var splits: [String: (split: Split, line: Int)] = [:]
        var lineNumber = 0
        try LineReader(path: path).forEachLine { bytes in
            lineNumber += 1
            var line = String(decoding: bytes, as: UTF8.self)
            if lineNumber == 1 && line.hasPrefix("\u{FEFF}") { line.removeFirst() }
            if line.hasSuffix("\r") { line.removeLast() }
            if line.isEmpty || line.hasPrefix("#") { return }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 2 else {
                throw CorpusError.invalidSplitLine(path: path, line: lineNumber, reason: "expected exactly one tab")
            }
            guard let split = Split(rawValue: String(fields[1])) else {
                throw CorpusError.invalidSplitLine(path: path, line: lineNumber, reason: "unknown split '\(fields[1])'")
            }
            let label = LabeledLine.label(fields[0])
            if let earlier = splits[label], earlier.split != split {
                throw CorpusError.invalidSplitLine(
                    path: path, line: lineNumber,
                    reason: "label '\(label)' is \(split.rawValue) here and \(earlier.split.rawValue) on line \(earlier.line)")
            }
            if splits[label] == nil { splits[label] = (split, lineNumber) }
        }
        return splits.mapValues(\.split)
    }

    /// The split file that belongs to a corpus file: same folder and stem, extension `.split`.
    public static func path(besides corpus: String) -> String {
        ((corpus as NSString).deletingPathExtension) + ".split"
    }
}
