import Corpus
import Storage

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

    /// A stream's lines read cut short (`LineReader.truncatesLongLines`): none is lost, but
    /// the user should know. Commands that embed lines read only their first tokens anyway.
    static func reportCut(_ reader: LineReader, command: String) {
        guard reader.truncatedLines > 0 else { return }
        printError(
            "\(command): \(reader.truncatedLines) line(s) longer than \(reader.maximumLineLength >> 20) MiB read up to that length "
                + "(the model reads only a line's first tokens)")
    }

    /// The skipped lines of a labelled file.
    static func report(skipped: [(line: Int, problem: LabeledLine.Problem)], in file: String) {
        report(skipped.map { (file, $0.line, "skipped: " + $0.problem.rawValue) })
    }
}
