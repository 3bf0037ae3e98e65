import Foundation
import Storage
import TestSupport
import Testing
import Tokenization

@testable import Corpus

@Suite struct CorpusIndexTests {
    /// Two small corpora: one with a split file (and bad lines), one without.
    static func build(defaultSplit: Split = .train) throws -> (path: String, summary: CorpusIndexBuilder.Summary) {
        let directory = try TestFiles.directory()
        try TestFiles.write(
            "sport\tfootball: a game played with a ball\nlaw\tcourt: where judges sit\nno tab here\nsport\t   "
                + "\n\tno label\nlaw\tappeal: a request to a higher court\r\nart\tpainting: pictures made with paint\n",
            to: directory.appendingPathComponent("topics.tsv"))
        try TestFiles.write("sport\ttest\nlaw\ttrain\nart\tval\n", to: directory.appendingPathComponent("topics.split"))
        try TestFiles.write("mine\tsomething of mine\nyours\tsomething of yours", to: directory.appendingPathComponent("user.tsv"))
        let output = directory.appendingPathComponent("index.fsi").path
        var builder = CorpusIndexBuilder(tokenizer: TestFiles.tokenizer, maxLength: 8, defaultSplit: defaultSplit)
        builder.batchSize = 2
        let summary = try builder.build(
            [directory.appendingPathComponent("topics.tsv").path, directory.appendingPathComponent("user.tsv").path], to: output)
        return (output, summary)
    }

    /// What would silently mix splits or lose a corpus is an error that names the file: a label
    /// listed with two splits, two files of one family name, a corpus with no usable line (its
    /// problems shown). A byte order mark and spaces in a split file are not part of a label.
    @Test func conflictingSplitsRepeatedFamiliesAndEmptyCorporaAreRefused() throws {
        let directory = try TestFiles.directory()
        let builder = CorpusIndexBuilder(tokenizer: TestFiles.tokenizer, maxLength: 8)
        let output = directory.appendingPathComponent("out.fsi").path
        let corpus = directory.appendingPathComponent("c.tsv")
        try TestFiles.write("a\thello world\nb\tgood night\n", to: corpus)
        let split = directory.appendingPathComponent("c.split")
        try TestFiles.write("a\ttrain\nb\ttest\na\ttest\n", to: split)
        #expect(throws: CorpusError.invalidSplitLine(path: split.path, line: 3, reason: "label 'a' is test here and train on line 1")) {
            try builder.build([corpus.path], to: output)
        }
        try TestFiles.write("\u{FEFF}a \ttrain\nb\ttest\na\ttrain\n", to: split)
        #expect(try builder.build([corpus.path], to: output).examples == 2)
        let index = try CorpusIndex(path: output, expectingVocabulary: TestFiles.tokenizer.vocabulary.fingerprint)
        #expect(index.labels.map(\.split) == [.train, .test])
        let other = directory.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        let twin = other.appendingPathComponent("c.tsv")
        try TestFiles.write("a\tsecret test text\n", to: twin)
        #expect(throws: CorpusError.self) { try builder.build([corpus.path, twin.path], to: output) }
        #expect(throws: CorpusError.self) { try builder.build([corpus.path, corpus.path], to: output) }
        let empty = directory.appendingPathComponent("empty.tsv")
        try TestFiles.write("a\t\nno tab here\n", to: empty)
        #expect(
            throws: CorpusError.noExamples(
                "no usable examples in \(empty.path) (2 unusable lines; line 1: empty text; line 2: no tab (expected label<TAB>text))")
        ) {
            try builder.build([corpus.path, empty.path], to: output)
        }
    }

    @Test func roundTripKeepsLabelsSplitsFamiliesAndTokens() throws {
        let (path, summary) = try Self.build(defaultSplit: .test)
        #expect(summary.examples == 6)
        #expect(summary.unusable.map(\.line) == [3, 4, 5])
        #expect(summary.unusable.map(\.problem) == [.noTab, .emptyText, .emptyLabel])
        let index = try CorpusIndex(path: path, expectingVocabulary: TestFiles.tokenizer.vocabulary.fingerprint)
        #expect(index.families == ["topics", "user"])
        #expect(index.labels.map(\.name) == ["sport", "law", "art", "mine", "yours"])
        #expect(index.labels.map(\.split) == [.test, .train, .val, .test, .test])
        #expect(index.labels.map(\.family) == ["topics", "topics", "topics", "user", "user"])
        #expect(index.examplesByLabel == [[0], [1, 2], [3], [4], [5]])
        #expect(index.maxLength == 8)
        let texts = [
            "football: a game played with a ball", "court: where judges sit", "appeal: a request to a higher court",
            "painting: pictures made with paint", "something of mine", "something of yours",
        ]
        for (example, text) in texts.enumerated() {
            let expected = TestFiles.tokenizer.encode(text, maxLength: 8).map { UInt32($0) }
            #expect(Array(index.tokens(of: example)) == expected, "example \(example)")
            #expect(String(decoding: index.text(of: example), as: UTF8.self) == text)
        }
        let overLong = texts.filter { TestFiles.tokenizer.encode($0).count > 8 }.count
        #expect(overLong > 0 && summary.truncated == overLong)
        #expect(index.labelIDs(split: .test, family: "user") == [3, 4])
    }

    @Test func corruptionIsRefusedWithTheFileName() throws {
        let (path, _) = try Self.build()
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        func expectRefused(_ bytes: Data, _ check: (Error) -> Bool) throws {
            let damaged = path + ".damaged"
            try bytes.write(to: URL(fileURLWithPath: damaged))
            do {
                _ = try CorpusIndex(path: damaged)
                Issue.record("a damaged index was accepted")
            } catch {
                #expect(check(error), "\(error)")
                #expect("\(error)".contains(damaged))
            }
        }
        for position in [70, original.count / 2, original.count - 1] {
            var flipped = original
            flipped[position] ^= 0x40
            try expectRefused(flipped) { if case StorageError.corrupted = $0 { return true } else { return false } }
        }
        try expectRefused(original.prefix(original.count - 5)) { if case StorageError.truncated = $0 { return true } else { return false } }
        try expectRefused(original.prefix(20)) { if case StorageError.truncated = $0 { return true } else { return false } }
        // Every header byte flipped: refused with an error, never a crash.
        for position in 8..<72 {
            var header = original
            header[position] ^= 0xFF
            let damaged = path + ".header"
            try header.write(to: URL(fileURLWithPath: damaged))
            #expect(throws: (any Error).self, "header byte \(position)") { try CorpusIndex(path: damaged) }
        }
        var magic = original
        magic[0] = 0x58
        try expectRefused(magic) { if case StorageError.wrongFormat = $0 { return true } else { return false } }
        var version = original
        version[8] = 99
        try expectRefused(version) { if case StorageError.unsupportedVersion = $0 { return true } else { return false } }
    }

    @Test func mismatchedVocabularyIsRefused() throws {
        let (path, _) = try Self.build()
        let other = Vocabulary(tokens: ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "other"])
        #expect(throws: CorpusError.self) { try CorpusIndex(path: path, expectingVocabulary: other.fingerprint) }
    }

    @Test func labelMissingFromSplitFileIsAnError() throws {
        let directory = try TestFiles.directory()
        try TestFiles.write("a\tone\nb\ttwo\n", to: directory.appendingPathComponent("x.tsv"))
        try TestFiles.write("a\ttrain\n", to: directory.appendingPathComponent("x.split"))
        let builder = CorpusIndexBuilder(tokenizer: TestFiles.tokenizer, maxLength: 16)
        #expect(throws: CorpusError.self) {
            try builder.build([directory.appendingPathComponent("x.tsv").path], to: directory.appendingPathComponent("x.fsi").path)
        }
    }
}
