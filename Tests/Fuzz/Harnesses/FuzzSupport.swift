import Foundation

/// The fuzzer's input as a file (for readers that take a path), rewritten for every input.
enum FuzzInput {
    static let path = FileManager.default.temporaryDirectory.appendingPathComponent("fewshot-fuzz-\(getpid()).bin").path

    static func write(_ start: UnsafeRawPointer, _ count: Int) -> String {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        precondition(descriptor >= 0, "cannot write \(path)")
        var offset = 0
        while offset < count {
            let written = Foundation.write(descriptor, start + offset, count - offset)
            precondition(written > 0, "cannot write \(path)")
            offset += written
        }
        close(descriptor)
        return path
    }

    /// The input as bytes.
    static func bytes(_ start: UnsafeRawPointer, _ count: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: start.assumingMemoryBound(to: UInt8.self), count: count)
    }
}
