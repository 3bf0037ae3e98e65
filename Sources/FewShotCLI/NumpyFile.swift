import Foundation

/// The .npy format (version 1.0) for a float32 row-major matrix.
enum NumpyFile {
    static func float32Matrix(_ values: [Float], rows: Int, columns: Int) -> [UInt8] {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(columns)), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        bytes.append(UInt8(header.utf8.count & 0xFF))
        bytes.append(UInt8(header.utf8.count >> 8))
        bytes.append(contentsOf: header.utf8)
        values.withUnsafeBytes { bytes.append(contentsOf: $0) }
        return bytes
    }
}
