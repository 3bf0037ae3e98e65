import Foundation

/// Buffered writing to standard output with `write(2)`: large batches for throughput,
/// `flush()` whenever the caller is about to wait for input.
///
/// A failed write (a full disk, a closed descriptor) is never dropped: the first one is kept,
/// nothing more is written, and the next `flush()` throws it, so the command ends with
/// `error: …` and exit 1 instead of exit 0 with its output lost. Callers flush after each batch
/// and at the end; there is no flush in `deinit`, where an error could not be reported.
/// (A reader that closes the pipe ends the process with SIGPIPE, quietly, as Unix filters do.)
final class OutputWriter {
    private var buffer: [UInt8] = []
    private let descriptor: Int32
    private let threshold: Int
    /// The `errno` of the first failed write.
    private var failure: Int32?

    init(descriptor: Int32 = 1, threshold: Int = 1 << 16) {
        self.descriptor = descriptor
        self.threshold = threshold
        buffer.reserveCapacity(threshold + 4096)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= threshold { writeBuffered() }
    }

    func write<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        buffer.append(contentsOf: bytes)
    }

    func write(byte: UInt8) {
        buffer.append(byte)
    }

    /// Appends a non-negative integer in decimal.
    func write(decimal value: Int32) {
        if value < 10 {
            buffer.append(UInt8(48 + value))
            return
        }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        var rest = value
        withUnsafeMutableBytes(of: &digits) { raw in
            while rest > 0 {
                raw[count] = UInt8(48 + rest % 10)
                rest /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { buffer.append(raw[index]) }
        }
    }

    /// Ends a line; flushes when the buffer is large.
    func endLine() {
        buffer.append(0x0A)
        if buffer.count >= threshold { writeBuffered() }
    }

    /// Writes everything buffered; throws the first write error met since the writer was made.
    func flush() throws {
        writeBuffered()
        if let failure {
            throw CLIError.runtime(
                "cannot write to standard output: \(String(cString: strerror(failure)))",
                hint: "the output is incomplete; check the disk space or where standard output goes")
        }
    }

    /// Writes the buffer out without reporting an error yet: the first one is kept for the next
    /// `flush()`, so that `write` stays cheap and non-throwing on the hot path.
    func writeBuffered() {
        defer { buffer.removeAll(keepingCapacity: true) }
        guard failure == nil else { return }
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                return
            }
            offset += written
        }
    }
}

/// The command's standard output: `print` and the streaming commands all write through this one
/// writer, so that every write error is seen and output stays in order. Used from the main
/// thread only.
nonisolated(unsafe) let standardOutput = OutputWriter()

/// Whether standard output is a terminal (then each printed line is written at once, as stdio
/// does; into a pipe or file, lines are batched).
let standardOutputIsTerminal = isatty(1) == 1

/// `Swift.print` for this module: a line on `standardOutput`, whose errors the command's end
/// reports (`main.swift`), instead of stdio's, which `exit` would discard.
func print(_ text: String = "") {
    standardOutput.write(text)
    standardOutput.endLine()
    if standardOutputIsTerminal { standardOutput.writeBuffered() }
}

/// Writes a line to standard error (progress, warnings).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
