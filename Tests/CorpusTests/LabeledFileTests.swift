import Foundation
import TestSupport
import Testing

@testable import Corpus

/// `label<TAB>text` lines: what counts as a label, and files that are not text.
@Suite struct LabeledFileTests {
    static func parsed(_ line: String) -> (label: String, text: String)? {
        let bytes = Array(line.utf8)
        return bytes.withUnsafeBufferPointer { buffer in
            guard case .example(let label, let text) = LabeledLine.parse(buffer) else { return nil }
            return (String(decoding: bytes[label], as: UTF8.self), String(decoding: bytes[text], as: UTF8.self))
        }
    }

    static func problem(_ line: String) -> LabeledLine.Problem? {
        Array(line.utf8).withUnsafeBufferPointer { buffer in
            if case .unusable(let problem) = LabeledLine.parse(buffer) { return problem }
            return nil
        }
    }

    @Test func theSpacesAroundALabelAreNotPartOfIt() {
        #expect(Self.parsed("sport \tthe match")?.label == "sport")
        #expect(Self.parsed("  sport\tthe match")?.label == "sport")
        #expect(Self.parsed("real madrid\tthe match")?.label == "real madrid")
        #expect(Self.parsed("sport\t the match ")?.text == " the match ")
        #expect(Self.problem("   \tthe match") == .emptyLabel)
        #expect(Self.problem("\tthe match") == .emptyLabel)
    }

    @Test func aControlCharacterInALabelMakesTheLineUnusable() {
        #expect(Self.problem("spo\u{0}rt\tthe match") == .controlInLabel)
        #expect(Self.problem("sport\r\tthe match") == .controlInLabel)
        #expect(Self.problem("sp\u{7F}ort\tthe match") == .controlInLabel)
        #expect(Self.parsed("spört\tthe match")?.label == "spört")
    }

    @Test func aFileWithANulByteIsNotTextAndSaysWhere() throws {
        let directory = try TestFiles.directory()
        let good = directory.appendingPathComponent("good.tsv")
        try TestFiles.write("sport \tthe match\nmusic\tthe song\n", to: good)
        #expect(try LabeledFile(path: good.path).examples.map(\.label) == ["sport", "music"])
        let binary = directory.appendingPathComponent("binary.tsv")
        try Data("sport\tthe match\nmu\u{0}sic\tthe song\n".utf8).write(to: binary)
        #expect(throws: CorpusError.invalidLine("\(binary.path):2: a NUL byte: not a text file (expected label<TAB>text lines)")) {
            try LabeledFile(path: binary.path)
        }
    }
}
