/// Appends little-endian values to a byte buffer, for our binary file formats.
public struct BinaryWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    public mutating func append<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func append(_ value: Float) { append(value.bitPattern) }

    public mutating func append(bytes other: [UInt8]) { bytes.append(contentsOf: other) }

    public mutating func append<T: FixedWidthInteger>(contentsOf values: [T]) {
        #if _endian(little)
            values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
            for value in values { append(value) }
        #endif
    }

    /// Pads with zeros to a multiple of `alignment` bytes.
    public mutating func align(to alignment: Int) {
        while bytes.count % alignment != 0 { bytes.append(0) }
    }

    /// Overwrites a previously written value at `offset`.
    public mutating func patch<T: FixedWidthInteger>(_ value: T, at offset: Int) {
        withUnsafeBytes(of: value.littleEndian) { raw in
            for (index, byte) in raw.enumerated() { bytes[offset + index] = byte }
        }
    }

    public var count: Int { bytes.count }
}

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
