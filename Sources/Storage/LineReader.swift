import Foundation

/// Streams the lines of a file descriptor as byte slices, without the `\n`.
///
/// A final line without a newline is still a line; an empty input has no lines. Lines up to
/// `maximumLineLength` bytes are supported (the buffer grows); a longer one (a binary file, a
/// stream with no newline at all) ends the reading with an error that names its line instead
/// of growing the buffer until memory runs out, or, when `truncatesLongLines` is set, is handed
/// out cut to its first `maximumLineLength` bytes (counted in `truncatedLines`) while the rest
/// of it is read past: a stream that is classified line by line then loses no line of output
/// for one absurd line (a model reads only its first tokens anyway). Even then, more than
/// `maximumSkippedBytes` without a newline is an error: that is no text.
///
/// Before each blocking read `willRead` runs, so a caller can flush output first: interactive
/// use through a pipe then sees each answer as soon as its line is complete, while batch input
/// still reads in large chunks.
public final class LineReader {
    private let descriptor: Int32
    private var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var reachedEnd = false
    /// The name for error messages.
    public let name: String
    /// The longest line read, in bytes.
    public let maximumLineLength: Int
    /// Lines handed out so far.
    private var lines = 0
    /// Hand out an overlong line cut short instead of refusing it.
    public var truncatesLongLines = false
    /// Lines handed out cut short (`truncatesLongLines`).
    public private(set) var truncatedLines = 0
    /// The most bytes of one line read past after its first `maximumLineLength`.
    public var maximumSkippedBytes = 1 << 30

    public static let defaultMaximumLineLength = 1 << 26

    public init(descriptor: Int32, name: String, chunkSize: Int = 1 << 16, maximumLineLength: Int = defaultMaximumLineLength) {
        self.descriptor = descriptor
        self.name = name
        self.maximumLineLength = maximumLineLength
        capacity = min(chunkSize, maximumLineLength + 1)
        buffer = .allocate(capacity: capacity)
    }

    /// Opens a path, or standard input for nil or "-".
    public convenience init(path: String?) throws {
        guard let path, path != "-" else {
            self.init(descriptor: 0, name: "<stdin>")
            return
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw StorageError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        self.init(descriptor: descriptor, name: path)
    }

    deinit {
        buffer.deallocate()
        if descriptor > 2 { close(descriptor) }
    }

    /// Calls `body` with each line in order; `willRead` before any read that may block.
    public func forEachLine(willRead: () throws -> Void = {}, _ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        while true {
            if let newline = findNewline() {
                lines += 1
                try body(UnsafeBufferPointer(start: buffer + start, count: newline - start))
                start = newline + 1
                continue
            }
            if truncatesLongLines && end - start > maximumLineLength {
                lines += 1
                truncatedLines += 1
                try body(UnsafeBufferPointer(start: buffer + start, count: maximumLineLength))
                try skipRestOfLine()
                continue
            }
            if reachedEnd {
                if end > start { try body(UnsafeBufferPointer(start: buffer + start, count: end - start)) }
                start = end
                return
            }
            if !hasInputReady() { try willRead() }
            try fill()
        }
    }

    /// Whether a read would return at once (data, end of input, or an error): then `willRead`
    /// need not run. Flushing before every read cut a fast pipe's stream into the pipe's small
    /// chunks, each classified and written as a batch of its own.
    private func hasInputReady() -> Bool {
        var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        return poll(&request, 1, 0) > 0
    }

    /// Reads past the current line up to its newline (consumed) or the end of the input.
    private func skipRestOfLine() throws {
        var skipped = 0
        while true {
            if let newline = findNewline() {
                start = newline + 1
                return
            }
            skipped += end - start
            start = end
            guard skipped <= maximumSkippedBytes else {
                throw StorageError.cannotRead(
                    path: name,
                    reason: "line \(lines) is longer than \(maximumLineLength + maximumSkippedBytes) bytes (no newline): not a text file?")
            }
            if reachedEnd { return }
            try fill()
        }
    }

    private func findNewline() -> Int? {
        guard end > start, let found = memchr(buffer + start, 0x0A, end - start) else { return nil }
        return buffer.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    private func fill() throws {
        if start > 0 {
            if end > start { memmove(buffer, buffer + start, end - start) }
            end -= start
            start = 0
        }
        if end == capacity {
            // Room for the longest line and its newline.
            guard capacity <= maximumLineLength else {
                throw StorageError.cannotRead(
                    path: name, reason: "line \(lines + 1) is longer than \(maximumLineLength) bytes (no newline): not a text file?")
            }
            let larger = min(capacity * 2, maximumLineLength + 1)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity = larger
        }
        while true {
            let count = read(descriptor, buffer + end, capacity - end)
            if count > 0 {
                end += count
                return
            }
            if count == 0 {
                reachedEnd = true
                return
            }
            if errno == EINTR { continue }
            throw StorageError.cannotRead(path: name, reason: String(cString: strerror(errno)))
        }
    }
}
