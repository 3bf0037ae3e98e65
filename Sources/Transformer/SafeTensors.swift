import Foundation
import Storage

/// The safetensors format, as the ecosystem writes it: an 8-byte little-endian header length,
/// a JSON header mapping tensor names to dtype, shape and byte offsets (plus an optional
/// `__metadata__` map of strings), then the raw little-endian data.
///
/// Files we write also carry, in the metadata, a checksum of the whole file (`fileChecksumKey`:
/// header and data, computed with the checksum's own 16 digits read as zeros), so corruption
/// anywhere, a label name or a layer count as much as a weight, is caught on load. Files written
/// before 2026-12-07 carry a checksum of the data section alone (`dataChecksumKey`) and are still
/// read. A file with our `fewshot.` metadata and no checksum is refused (a damaged key name must
/// not turn the check off); files from elsewhere have none and are checked for structure only.
public enum SafeTensors {
    static let fileChecksumKey = "fewshot.file-checksum"
    static let dataChecksumKey = "fewshot.checksum"

    public enum DType: String, Sendable {
        case f32 = "F32", f16 = "F16", bf16 = "BF16", i64 = "I64", i32 = "I32", u8 = "U8"

        var size: Int {
            switch self {
            case .u8: return 1
            case .f32, .i32: return 4
            case .f16, .bf16: return 2
            case .i64: return 8
            }
        }

        /// F16 when every value survives a round trip through Float16 unchanged, F32 otherwise:
        /// the smallest type that stores these values without loss.
        public static func smallestExact(for values: UnsafeBufferPointer<Float>) -> DType {
            values.allSatisfy { Float(Float16($0)) == $0 } ? .f16 : .f32
        }
    }

    public struct TensorInfo: Sendable {
        public let dtype: DType
        public let shape: [Int]
        /// Byte range within the data section.
        public let range: Range<Int>
        public var count: Int { shape.reduce(1, *) }
    }

    /// A memory-mapped safetensors file.
    public final class File: @unchecked Sendable {
        public let path: String
        public let tensors: [String: TensorInfo]
        public let metadata: [String: String]
        private let mapped: MappedFile
        private let dataStart: Int

        public init(path: String) throws {
            mapped = try MappedFile(path: path)
            self.path = path
            let bytes = mapped.bytes
            guard bytes.count >= 8 else { throw StorageError.truncated(path: path, detail: "\(bytes.count) bytes, no header length") }
            let announced = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
            guard announced >= 2, announced <= 100_000_000 else {
                throw StorageError.wrongFormat(path: path, expected: "a safetensors file (implausible header length \(announced))")
            }
            let headerLength = Int(announced)
            guard 8 + headerLength <= bytes.count else {
                throw StorageError.truncated(
                    path: path, detail: "the header needs \(headerLength) bytes, the file has \(bytes.count - 8) after the length")
            }
            let header: [String: JSONValue]
            do {
                guard let object = try JSONValue(parsing: UnsafeRawBufferPointer(rebasing: bytes[8..<8 + headerLength])).object else {
                    throw StorageError.corrupted(path: path, detail: "the header is not a JSON object")
                }
                header = object
            } catch let failure as JSONReader.Failure {
                throw StorageError.corrupted(
                    path: path, detail: "the header is not valid JSON: \(failure.message) at byte \(8 + failure.offset)")
            }
            dataStart = 8 + headerLength
            let dataSize = bytes.count - dataStart
            var tensors: [String: TensorInfo] = [:]
            var metadata: [String: String] = [:]
            for (name, value) in header {
                if name == "__metadata__" {
                    guard let map = value.strings else {
                        throw StorageError.corrupted(path: path, detail: "__metadata__ is not a map of strings")
                    }
                    metadata = map
                    continue
                }
                guard let entry = value.object, let dtypeName = entry["dtype"]?.string,
                    let shape = entry["shape"]?.integers, let offsets = entry["data_offsets"]?.integers, offsets.count == 2
                else { throw StorageError.corrupted(path: path, detail: "tensor '\(name)' has no valid dtype, shape and data_offsets") }
                guard let dtype = DType(rawValue: dtypeName) else {
                    throw StorageError.corrupted(path: path, detail: "tensor '\(name)' has unsupported dtype \(dtypeName)")
                }
                guard offsets[0] >= 0, offsets[0] <= offsets[1], let size = Self.byteCount(shape: shape, elementSize: dtype.size),
                    offsets[1] - offsets[0] == size
                else { throw StorageError.corrupted(path: path, detail: "tensor '\(name)' has inconsistent shape and offsets") }
                guard offsets[1] <= dataSize else {
                    throw StorageError.truncated(
                        path: path, detail: "tensor '\(name)' ends at byte \(offsets[1]) of a \(dataSize)-byte data section")
                }
                tensors[name] = TensorInfo(dtype: dtype, shape: shape, range: offsets[0]..<offsets[1])
            }
            self.tensors = tensors
            self.metadata = metadata
            try Self.verifyChecksum(of: bytes, dataStart: dataStart, metadata: metadata, path: path)
        }

        static func verifyChecksum(of bytes: UnsafeRawBufferPointer, dataStart: Int, metadata: [String: String], path: String) throws {
            let data = UnsafeRawBufferPointer(rebasing: bytes[dataStart...])
            if let expected = metadata[fileChecksumKey] {
                var header = Array(UnsafeRawBufferPointer(rebasing: bytes[..<dataStart]))
                guard let digits = checksumDigits(in: header) else {
                    throw StorageError.corrupted(path: path, detail: "the file checksum is not one 16-digit entry")
                }
                header.replaceSubrange(digits, with: repeatElement(UInt8(ascii: "0"), count: digits.count))
                guard header.withUnsafeBytes({ hexDigits(Checksum.of($0, data)) }) == expected else {
                    throw StorageError.corrupted(path: path, detail: "checksum mismatch: changed or damaged since it was written")
                }
            } else if let expected = metadata[dataChecksumKey] {
                guard String(Checksum.of(data), radix: 16) == expected else {
                    throw StorageError.corrupted(path: path, detail: "data checksum mismatch")
                }
            } else if metadata.keys.contains(where: { $0.hasPrefix("fewshot.") }) {
                throw StorageError.corrupted(path: path, detail: "a fewshot file without its checksum")
            }
        }

        /// The bytes a tensor of this shape takes, or nil when a dimension is negative or the
        /// product overflows (a hostile header must not trap).
        static func byteCount(shape: [Int], elementSize: Int) -> Int? {
            var count = elementSize
            for dimension in shape {
                guard dimension >= 0 else { return nil }
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard !overflow else { return nil }
                count = product
            }
            return count
        }

        /// The raw bytes of a tensor.
        public func bytes(of name: String) -> UnsafeRawBufferPointer? {
            guard let info = tensors[name] else { return nil }
            return UnsafeRawBufferPointer(rebasing: mapped.bytes[(dataStart + info.range.lowerBound)..<(dataStart + info.range.upperBound)])
        }

        /// Copies a floating-point tensor into `destination` as Float, converting from F16/BF16.
        public func read(_ name: String, into destination: UnsafeMutablePointer<Float>) throws {
            guard let info = tensors[name], let raw = bytes(of: name) else {
                throw StorageError.corrupted(path: path, detail: "no tensor '\(name)'")
            }
            // Data aligned to its element (what our writer makes): typed loads, which the compiler
            // vectorizes (F16 to F32 by vcvtph2ps, 4× faster than element by element: 15 to 4 ms for
            // the static model's 7.8 M weights). Any other alignment goes element by element.
            let base = raw.baseAddress.map { Int(bitPattern: $0) } ?? 0
            if info.dtype == .f32 && base % 4 == 0 && info.count > 0 {
                destination.update(from: raw.baseAddress!.assumingMemoryBound(to: Float.self), count: info.count)
                return
            }
            if info.dtype == .f16 && base % 2 == 0 && info.count > 0 {
                let halves = raw.baseAddress!.assumingMemoryBound(to: Float16.self)
                for index in 0..<info.count { destination[index] = Float(halves[index]) }
                return
            }
            switch info.dtype {
            case .f32:
                for index in 0..<info.count {
                    destination[index] = Float(
                        bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
                }
            case .f16:
                for index in 0..<info.count {
                    destination[index] = Float(
                        Float16(bitPattern: UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))))
                }
            case .bf16:
                for index in 0..<info.count {
                    destination[index] = Float(
                        bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))) << 16)
                }
            case .i64, .i32, .u8:
                throw StorageError.corrupted(path: path, detail: "tensor '\(name)' is \(info.dtype.rawValue), not floating point")
            }
        }

        /// An integer tensor (I32 or I64) as Ints.
        public func integers(_ name: String) throws -> [Int] {
            guard let info = tensors[name], let raw = bytes(of: name) else {
                throw StorageError.corrupted(path: path, detail: "no tensor '\(name)'")
            }
            switch info.dtype {
            case .i64:
                return (0..<info.count).map { Int(Int64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: Int64.self))) }
            case .i32:
                return (0..<info.count).map { Int(Int32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: Int32.self))) }
            default:
                throw StorageError.corrupted(path: path, detail: "tensor '\(name)' is \(info.dtype.rawValue), not integer")
            }
        }
    }

    /// A tensor to write: Float values stored as F32 or F16, bytes as U8, integers as I64.
    public struct Output {
        enum Values {
            case floats(UnsafeBufferPointer<Float>)
            case bytes([UInt8])
            case integers([Int64])
        }
        public let name: String
        public let shape: [Int]
        let values: Values
        public let dtype: DType

        /// A float tensor stored as `dtype` (F32 or F16; nil: `DType.smallestExact` of its values).
        public init(name: String, shape: [Int], values: UnsafeBufferPointer<Float>, dtype: DType? = .f32) {
            let dtype = dtype ?? .smallestExact(for: values)
            precondition(dtype == .f32 || dtype == .f16, "only F32 and F16 are written")
            precondition(shape.reduce(1, *) == values.count)
            self.name = name
            self.shape = shape
            self.values = .floats(values)
            self.dtype = dtype
        }

        /// A one-dimensional U8 tensor.
        public init(name: String, bytes: [UInt8]) {
            self.name = name
            shape = [bytes.count]
            values = .bytes(bytes)
            dtype = .u8
        }

        /// A one-dimensional I64 tensor.
        public init(name: String, integers: [Int64]) {
            self.name = name
            shape = [integers.count]
            values = .integers(integers)
            dtype = .i64
        }
    }

    /// The 16 hex digits of a checksum, zero-padded: a fixed width, so the digits can be written
    /// into a header whose length is already fixed.
    static func hexDigits(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    /// Where the file checksum's digits are in a header (the 8-byte length and the JSON), or nil
    /// unless the entry occurs exactly once with 16 digits. The pattern cannot occur inside a
    /// JSON string: its quotes would be escaped there.
    static func checksumDigits(in header: [UInt8]) -> Range<Int>? {
        let pattern = Array("\"\(fileChecksumKey)\":\"".utf8)
        /// The offset of the first occurrence of `pattern` at or after `from`: memchr to each
        /// quote, then memcmp (headers hold a vocabulary of 30,000 tokens, and start-up time
        /// matters).
        func find(from: Int) -> Int? {
            header.withUnsafeBytes { bytes in
                pattern.withUnsafeBytes { needle in
                    var offset = from
                    while offset + needle.count <= bytes.count {
                        guard let quote = memchr(bytes.baseAddress! + offset, 0x22, bytes.count - offset) else { return nil }
                        offset = bytes.baseAddress!.distance(to: UnsafeRawPointer(quote))
                        guard offset + needle.count <= bytes.count else { return nil }
                        if memcmp(bytes.baseAddress! + offset, needle.baseAddress!, needle.count) == 0 { return offset }
                        offset += 1
                    }
                    return nil
                }
            }
        }
        guard let found = find(from: 0) else { return nil }
        let digits = found + pattern.count
        guard find(from: found + 1) == nil, digits + 17 <= header.count, header[digits + 16] == UInt8(ascii: "\"") else { return nil }
        return digits..<digits + 16
    }

    /// A whole file: the tensors' entries and the metadata as the header, then `data`, sealed
    /// with the file checksum (any checksum entry in `metadata` is replaced). Public for tools
    /// (and tests) that edit a file's header and must seal it again.
    public static func fileBytes(tensorEntries: [String: Any], metadata: [String: String], data: [UInt8]) throws -> [UInt8] {
        var header = tensorEntries
        var meta = metadata
        meta[dataChecksumKey] = nil
        meta[fileChecksumKey] = hexDigits(0)
        header["__metadata__"] = meta
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        while json.count % 8 != 0 { json.append(0x20) }
        var file = BinaryWriter()
        file.append(UInt64(json.count))
        file.append(bytes: Array(json))
        var bytes = file.bytes
        guard let digits = checksumDigits(in: bytes) else { preconditionFailure("the checksum entry is written once") }
        let checksum = data.withUnsafeBytes { data in bytes.withUnsafeBytes { Checksum.of($0, data) } }
        bytes.replaceSubrange(digits, with: Array(hexDigits(checksum).utf8))
        return bytes + data
    }

    /// Writes tensors (in the given order) and metadata atomically, sealed with the file checksum.
    public static func write(_ tensors: [Output], metadata: [String: String], to path: String) throws {
        var data = BinaryWriter()
        var header: [String: Any] = [:]
        for tensor in tensors {
            let start = data.count
            switch tensor.values {
            case .floats(let values) where tensor.dtype == .f32: for value in values { data.append(value.bitPattern) }
            case .floats(let values): for value in values { data.append(Float16(value).bitPattern) }
            case .bytes(let bytes): data.append(bytes: bytes)
            case .integers(let integers): for value in integers { data.append(UInt64(bitPattern: value)) }
            }
            header[tensor.name] =
                ["dtype": tensor.dtype.rawValue, "shape": tensor.shape, "data_offsets": [start, data.count]] as [String: Any]
        }
        try AtomicFile.write(try fileBytes(tensorEntries: header, metadata: metadata, data: data.bytes), to: path)
    }
}
