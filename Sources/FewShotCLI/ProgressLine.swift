import Foundation

/// A progress line on stderr: rewritten in place at most every 0.2 s when stderr is a terminal,
/// a plain line every 5 s otherwise (logs get no carriage returns). Updates may come from several
/// threads (eval's episodes run on all cores): a lock keeps them whole.
final class ProgressLine: @unchecked Sendable {
    private let lock = NSLock()
    private var started = Date()
    private let interactive = isatty(2) != 0
    /// When the line was last shown: a terminal sees the first update at once, a log only after
    /// 5 s (short runs stay quiet).
    private lazy var last = interactive ? Date.distantPast : started
    private var shown = false

    func update(_ text: String) {
        lock.lock()
        defer { lock.unlock() }
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

    /// "what: done / total unit (rate/s, ETA 1m05s)"; without a total, the count and rate only.
    func update(_ what: String, done: Int, total: Int?, unit: String) {
        lock.lock()
        let elapsed = Date().timeIntervalSince(started)
        lock.unlock()
        let rate = Double(done) / max(elapsed, 1e-9)
        var text = "\(what): \(done)"
        if let total { text += " / \(total)" }
        text += String(format: " %@ (%.0f/s", unit, rate)
        if let total, done > 0 { text += ", ETA " + Self.duration(Double(total - done) / rate) }
        update(text + ")")
    }

    /// 42s, 3m05s or 1h02m.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "?" }
        let total = Int(seconds.rounded())
        if total >= 3600 { return String(format: "%dh%02dm", total / 3600, total % 3600 / 60) }
        return total >= 60 ? String(format: "%dm%02ds", total / 60, total % 60) : "\(total)s"
    }

    func finish() {
        lock.lock()
        defer { lock.unlock() }
        if interactive && shown { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }

    /// Clears the line and starts again from now: the next piece of work's rate and ETA.
    func restart() {
        finish()
        lock.lock()
        defer { lock.unlock() }
        started = Date()
        last = interactive ? Date.distantPast : started
        shown = false
    }
}
