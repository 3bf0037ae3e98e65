import Foundation
import Testing

@testable import Storage

@Suite struct StorageTests {
    func temporaryPath(_ name: String) -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("storage-\(UUID().uuidString)-\(name)").path
    }

    @Test func checksumSeesEveryByteAndTheLength() {
        var bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let original = Checksum.of(bytes)
        for position in [0, 7, 8, 500, 999] {
            bytes[position] ^= 0x01
            #expect(Checksum.of(bytes) != original, "flip at \(position)")
            bytes[position] ^= 0x01
        }
        #expect(Checksum.of(bytes) == original)
        #expect(Checksum.of(Array(bytes.prefix(999))) != original)
        #expect(Checksum.of([UInt8]()) != Checksum.of([0]))
    }

    @Test func atomicWriteReplacesWholeFile() throws {
        let path = temporaryPath("atomic")
        try AtomicFile.write(Array("first version".utf8), to: path)
        try AtomicFile.write(Array("second".utf8), to: path)
        #expect(String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self) == "second")
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: FileManager.default.temporaryDirectory.path)
            .filter { $0.contains((path as NSString).lastPathComponent + ".tmp") }
        #expect(leftovers.isEmpty)
        #expect(throws: StorageError.self) { try AtomicFile.write([1], to: "/nonexistent-dir/file") }
    }

    @Test func binaryRoundTripAndTruncation() throws {
        var writer = BinaryWriter()
        writer.append(UInt32(0xDEAD_BEEF))
        writer.append(Int64(-5))
        writer.align(to: 8)
        writer.append(contentsOf: [UInt16(1), 2, 3])
        try writer.bytes.withUnsafeBytes { raw in
            var reader = BinaryReader(raw, path: "x")
            #expect(try reader.read(UInt32.self, "a") == 0xDEAD_BEEF)
            #expect(try reader.read(Int64.self, "b") == -5)
            reader.align(to: 8)
            #expect(try reader.read(UInt16.self, "c") == 1)
            _ = try reader.slice(4, "rest")
            #expect(throws: StorageError.self) { try reader.read(UInt8.self, "past the end") }
        }
    }

    @Test func lineReaderKeepsEveryLine() throws {
        let path = temporaryPath("lines")
        let long = String(repeating: "x", count: 300_000)
        try Data("a\n\nb\r\n\(long)\nlast".utf8).write(to: URL(fileURLWithPath: path))
        var lines: [String] = []
        try LineReader(path: path).forEachLine { lines.append(String(decoding: $0, as: UTF8.self)) }
        #expect(lines == ["a", "", "b\r", long, "last"])
        let empty = temporaryPath("empty")
        try Data().write(to: URL(fileURLWithPath: empty))
        var count = 0
        try LineReader(path: empty).forEachLine { _ in count += 1 }
        #expect(count == 0)
        #expect(throws: StorageError.self) { try LineReader(path: "/nonexistent/file") }
    }

    @Test func aLineLongerThanTheLimitIsAnErrorThatNamesIt() throws {
        let path = temporaryPath("long-lines")
        try Data("short\n\(String(repeating: "y", count: 100))\n\(String(repeating: "z", count: 101))\nafter\n".utf8)
            .write(to: URL(fileURLWithPath: path))
        let descriptor = open(path, O_RDONLY)
        let reader = LineReader(descriptor: descriptor, name: path, chunkSize: 8, maximumLineLength: 100)
        var lines: [Int] = []
        #expect(throws: StorageError.cannotRead(path: path, reason: "line 3 is longer than 100 bytes (no newline): not a text file?")) {
            try reader.forEachLine { lines.append($0.count) }
        }
        // Every line up to the limit was handed out first, the one of exactly 100 bytes included.
        #expect(lines == [5, 100])
    }

    @Test func aLongLineCanBeCutShortWithoutLosingTheLinesAfterIt() throws {
        let path = temporaryPath("cut-lines")
        let long = String(repeating: "z", count: 250)
        try Data("short\n\(String(repeating: "y", count: 100))\n\(long)\nafter\n\(long)".utf8).write(to: URL(fileURLWithPath: path))
        for chunkSize in [8, 64, 1000] {
            let reader = LineReader(descriptor: open(path, O_RDONLY), name: path, chunkSize: chunkSize, maximumLineLength: 100)
            reader.truncatesLongLines = true
            var lines: [String] = []
            try reader.forEachLine { lines.append(String(decoding: $0, as: UTF8.self)) }
            let cut = String(long.prefix(100))
            #expect(lines == ["short", String(repeating: "y", count: 100), cut, "after", cut], "chunk \(chunkSize)")
            #expect(reader.truncatedLines == 2)
        }
        // Past the skipping limit too, it is no text: an error.
        let reader = LineReader(descriptor: open(path, O_RDONLY), name: path, chunkSize: 8, maximumLineLength: 100)
        reader.truncatesLongLines = true
        reader.maximumSkippedBytes = 100
        #expect(throws: StorageError.cannotRead(path: path, reason: "line 3 is longer than 200 bytes (no newline): not a text file?")) {
            try reader.forEachLine { _ in }
        }
    }

    @Test func mappedFileSeesTheBytes() throws {
        let path = temporaryPath("mapped")
        try AtomicFile.write([1, 2, 3], to: path)
        let mapped = try MappedFile(path: path)
        #expect(Array(mapped.bytes) == [1, 2, 3])
        #expect(throws: StorageError.self) { try MappedFile(path: "/nonexistent") }
    }

    @Test func aFIFOIsRefusedAtOnceNotWaitedOn() throws {
        let path = temporaryPath("fifo")
        #expect(mkfifo(path, 0o644) == 0)
        // Without a writer, a blocking open would wait forever: the test would hang, not fail.
        #expect(throws: StorageError.cannotRead(path: path, reason: "not a regular file")) { try MappedFile(path: path) }
        #expect(throws: StorageError.cannotRead(path: path, reason: "not a regular file")) { try FileLock(path: path) }
    }
}
