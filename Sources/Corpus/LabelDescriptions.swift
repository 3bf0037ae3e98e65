import Foundation
import Storage

/// Labels defined by their names or descriptions, for a classifier with few or no examples: a
/// file of `label` or `label<TAB>description` lines. Each becomes one example of its label whose
/// text is the description, or the label's name read as words (`american_football` →
/// "american football"), so names and examples combine in one prototype.
public struct LabelDescriptions {
    public private(set) var entries: [(label: String, text: String)] = []

    public init(path: String) throws {
        var lineNumber = 0
        var seen: [String: Int] = [:]
        var texts: [String: (label: String, line: Int)] = [:]
        var entries: [(label: String, text: String)] = []
        var problem: CorpusError?
        try LineReader(path: path).forEachLine { line in
            lineNumber += 1
            guard problem == nil else { return }
            var text = String(decoding: line, as: UTF8.self)
            if lineNumber == 1 && text.hasPrefix("\u{FEFF}") { text.removeFirst() }
            if text.hasSuffix("\r") { text.removeLast() }
            if text.trimmingCharacters(in: .whitespaces).isEmpty { return }
            let parts = text.split(separator: "\t", maxSplits: 1, omittingEmptySubsequences: false)
            // As in label<TAB>text files (`LabeledLine`): the spaces around a label are not part of it.
            let label = LabeledLine.label(parts[0])
            guard !label.trimmingCharacters(in: .whitespaces).isEmpty else {
                problem = .invalidLine("\(path):\(lineNumber): empty label")
                return
            }
            guard !label.utf8.contains(where: LabeledLine.isControl) else {
                problem = .invalidLine("\(path):\(lineNumber): \(LabeledLine.Problem.controlInLabel.rawValue)")
                return
            }
            if let first = seen[label] {
                problem = .invalidLine("\(path):\(lineNumber): label '\(label)' is already defined on line \(first)")
                return
            }
            seen[label] = lineNumber
            let description = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            let meaning = description.isEmpty ? Self.words(ofName: label) : description
            // Two labels of one text get one prototype: every line would tie between them.
            let key = meaning.lowercased()
            if let twin = texts[key] {
                problem = .invalidLine(
                    "\(path):\(lineNumber): label '\(label)' reads as '\(meaning)', as label '\(twin.label)' on line \(twin.line) does: "
                        + "every line would tie between them; give one a description")
                return
            }
            texts[key] = (label, lineNumber)
            entries.append((label, meaning))
        }
        if let problem { throw problem }
        guard !entries.isEmpty else { throw CorpusError.invalidLine("\(path): no labels") }
        self.entries = entries
    }

    /// A label name as words: a trailing `_2`-style disambiguation suffix dropped, `_` and `-`
    /// read as spaces.
    public static func words(ofName name: String) -> String {
        var base = Substring(name)
        if let underscore = base.lastIndex(of: "_"), !base[base.index(after: underscore)...].isEmpty,
            base[base.index(after: underscore)...].allSatisfy(\.isNumber), underscore > base.startIndex
        {
            base = base[..<underscore]
        }
        return String(base.map { $0 == "_" || $0 == "-" ? " " : $0 })
    }
}
