import Foundation

/// A progress line on stderr, rewritten in place when stderr is a terminal, at most every 0.2 s.
final class ProgressLine {
    private var last = Date.distantPast
    private let interactive = isatty(2) != 0
    private var shown = false

    func update(_ text: String) {
        let now = Date()
        guard now.timeIntervalSince(last) > (interactive ? 0.2 : 5) else { return }
        last = now
        shown = true
        if interactive {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        } else {
            printError(text)
        }
    }

    func finish() {
        if interactive && shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
