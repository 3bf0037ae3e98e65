/// Reads little-endian values from a byte range with bounds checks that report truncation.
public struct BinaryReader {
    public let bytes: UnsafeRawBufferPointer
    public let path: String
    public private(set) var offset: Int

    public init(_ bytes: UnsafeRawBufferPointer, path: String, offset: Int = 0) {
        self.bytes = bytes
        self.path = path
        self.offset = offset
    }

    public mutating func read<T: FixedWidthInteger>(_ type: T.Type, _ what: @autoclosure () -> String) throws -> T {
        let size = MemoryLayout<T>.size
        guard offset + size <= bytes.count else {
            throw StorageError.truncated(path: path, detail: "\(what()) at byte \(offset) is past the end (\(bytes.count) bytes)")
        }
        let value = T(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
        offset += size
        return value
    }

    /// A view of the next `count` bytes.
    public mutating func slice(_ count: Int, _ what: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        guard count >= 0, offset + count <= bytes.count else {
            throw StorageError.truncated(path: path, detail: "\(what()) needs \(count) bytes at byte \(offset), file has \(bytes.count)")
        }
        let view = UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
        offset += count
        return view
    }

    public mutating func align(to alignment: Int) {
        offset = (offset + alignment - 1) / alignment * alignment
    }
}
