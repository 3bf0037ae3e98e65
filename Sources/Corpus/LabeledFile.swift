import Storage

/// A whole `label<TAB>text` file read into memory (support sets and test files are small),
/// with the unusable lines reported by number. A last column that starts with '#' (after a tab)
/// is a comment, not text: `fewshot suggest` writes its guess there. A line labelled '?' is one
/// of its suggestions not filled in yet: unusable, so it is reported rather than learnt. A NUL
/// byte, which no text file holds, makes the whole file an error (a `.fsc` or `.fsi` given by
/// mistake would otherwise be read as thousands of lines of junk examples).
public struct LabeledFile {
    public var examples: [(label: String, text: [UInt8])] = []
    /// The line number of each example, for messages about it.
    public var lines: [Int] = []
    public var unusable: [(line: Int, problem: LabeledLine.Problem)] = []

    public init(path: String) throws {
        var lineNumber = 0
        var examples: [(label: String, text: [UInt8])] = []
        var lines: [Int] = []
        var unusable: [(line: Int, problem: LabeledLine.Problem)] = []
        try LineReader(path: path).forEachLine { line in
            lineNumber += 1
            guard !line.contains(0) else {
                throw CorpusError.invalidLine("\(path):\(lineNumber): a NUL byte: not a text file (expected label<TAB>text lines)")
            }
            var content = line
            // A UTF-8 byte order mark at the start of the file is not part of the first label.
            if lineNumber == 1 && line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
                content = UnsafeBufferPointer(rebasing: line[3...])
            }
            switch LabeledLine.parse(content) {
            case .unusable(let problem):
                unusable.append((lineNumber, problem))
            case .example(let label, let text):
                let name = String(decoding: UnsafeBufferPointer(rebasing: content[label]), as: UTF8.self)
                guard name != "?" else { unusable.append((lineNumber, .notLabelledYet)); return }
                let kept = Self.withoutComment(Array(content[text]))
                guard LabeledLine.hasText(kept) else { unusable.append((lineNumber, .emptyText)); return }
                examples.append((name, kept))
                lines.append(lineNumber)
            }
        }
        self.examples = examples
        self.lines = lines
        self.unusable = unusable
    }

    /// The text before a trailing comment column ("<TAB>#..."), and without trailing blanks.
    static func withoutComment(_ text: [UInt8]) -> [UInt8] {
        guard let start = text.indices.first(where: { $0 + 1 < text.count && text[$0] == 0x09 && text[$0 + 1] == 0x23 }) else {
            return text
        }
        var end = start
        while end > 0 && (text[end - 1] == 0x20 || text[end - 1] == 0x09) { end -= 1 }
        return Array(text[..<end])
    }
}
