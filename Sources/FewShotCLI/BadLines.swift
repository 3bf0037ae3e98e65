import Corpus

/// Reports lines an input file could not use, as `file:line: message` on standard error: the
/// first `shown` of them, then one line counting the rest, so that a file of a million bad lines
/// does not flood the terminal and none goes unmentioned.
enum BadLines {
    static let shown = 20

    /// `lines` are (file, line number, message); `kind` names them in the closing count
    /// ("unusable lines", "lines that matched no example").
    static func report(_ lines: [(file: String, line: Int, message: String)], kind: String = "unusable lines") {
        for bad in lines.prefix(shown) { printError("\(bad.file):\(bad.line): \(bad.message)") }
        if lines.count > shown { printError("... and \(lines.count - shown) more \(kind)") }
    }

    /// The skipped lines of a labelled file.
    static func report(skipped: [(line: Int, problem: LabeledLine.Problem)], in file: String) {
        report(skipped.map { (file, $0.line, "skipped: " + $0.problem.rawValue) })
    }
}
