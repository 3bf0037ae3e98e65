import Foundation

/// Buffered writing to standard output with `write(2)`: large batches for throughput,
/// `flush()` whenever the caller is about to wait for input.
final class OutputWriter {
    private var buffer: [UInt8] = []
    private let descriptor: Int32
    private let threshold: Int

    init(descriptor: Int32 = 1, threshold: Int = 1 << 16) {
        self.descriptor = descriptor
        self.threshold = threshold
        buffer.reserveCapacity(threshold + 4096)
    }

    deinit { flush() }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= threshold { flush() }
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
        if buffer.count >= threshold { flush() }
    }

    func flush() {
        var offset = 0
        while offset < buffer.count {
            let written = buffer.withUnsafeBytes { raw in
                Foundation.write(descriptor, raw.baseAddress! + offset, raw.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                break
            }
            offset += written
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Writes a line to standard error (progress, warnings).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
