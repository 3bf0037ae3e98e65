import Storage

/// A whole `label<TAB>text` file read into memory (support sets and test files are small),
/// with the unusable lines reported by number.
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
            var content = line
            // A UTF-8 byte order mark at the start of the file is not part of the first label.
            if lineNumber == 1 && line.count >= 3 && line[0] == 0xEF && line[1] == 0xBB && line[2] == 0xBF {
                content = UnsafeBufferPointer(rebasing: line[3...])
            }
            switch LabeledLine.parse(content) {
            case .unusable(let problem):
                unusable.append((lineNumber, problem))
            case .example(let label, let text):
                examples.append((String(decoding: UnsafeBufferPointer(rebasing: content[label]), as: UTF8.self), Array(content[text])))
                lines.append(lineNumber)
            }
        }
        self.examples = examples
        self.lines = lines
        self.unusable = unusable
    }
}
