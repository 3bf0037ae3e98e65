import Foundation
import Tokenization
import Transformer

/// The checkout's files and fresh temporary folders, shared by the library test targets.
public enum TestFiles {
    public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    public static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    public static let tokenizer = try! Tokenizer(vocabularyFile: path("vocab/vocab.txt"))

    /// A fresh temporary folder.
    public static func directory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fewshot-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    public static func write(_ text: String, to url: URL) throws {
        try Data(text.utf8).write(to: url)
    }

    /// A copy of a safetensors file (beside it, `.edited` added) with one metadata entry
    /// changed (nil: removed) and sealed again with a fresh checksum, as a hand edit by someone
    /// who knows the format would be: so the reader's own checks of the header, not the
    /// checksum, are what refuses it.
    public static func withMetadata(_ path: String, _ key: String, _ value: String?) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = Int(data.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        var header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + length)) as! [String: Any]
        var metadata = header.removeValue(forKey: "__metadata__") as! [String: String]
        metadata[key] = value
        let sealed = try SafeTensors.fileBytes(tensorEntries: header, metadata: metadata, data: Array(data.suffix(from: 8 + length)))
        let edited = path + ".edited"
        try Data(sealed).write(to: URL(fileURLWithPath: edited))
        return edited
    }
}
