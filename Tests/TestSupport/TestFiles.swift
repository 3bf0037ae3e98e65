import Foundation
import Tokenization

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
}
