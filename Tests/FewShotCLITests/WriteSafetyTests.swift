import Foundation
import Testing

/// Where output files land: only regular files are replaced (atomically), symlinks are written
/// through, permissions are kept, nothing temporary is left behind, and concurrent updates of
/// one classifier lose nothing.
@Suite struct WriteSafetyTests {
    static func folder() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-write-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func examples(in folder: URL, _ name: String, labels: [String], perLabel: Int = 3) throws -> String {
        var text = ""
        for label in labels {
            for number in 0..<perLabel { text += "\(label)\t\(label) example number \(number) about \(label)\n" }
        }
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// The label list stored in a .fsc (its safetensors header's metadata).
    static func labels(of path: String) throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let length = data.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try JSONSerialization.jsonObject(with: data.subdata(in: 8..<8 + length)) as? [String: Any]
        let metadata = header?["__metadata__"] as? [String: String]
        let text = metadata?["fewshot.extra.classifier.header"] ?? "{}"
        let fileHeader = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        return fileHeader?["labels"] as? [String] ?? []
    }

    static func leftovers(in folder: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") }
    }

    /// `-o x` (a one-character name trapped inside Foundation), `-o -` and `-o ""`, and an
    /// output that is one of the command's own inputs: refused before any work, the input intact;
    /// an output meant to replace its input (convert, train --update) still may.
    @Test func shortNamesWorkAndOutputsThatAreInputsAreRefused() throws {
        let folder = try Self.folder()
        let corpus = try Self.examples(in: folder, "c.tsv", labels: ["alpha", "beta"])
        #expect(try CLITests.run(["index", "c.tsv", "-o", "x"], in: folder).status == 0)
        #expect(try CLITests.run(["index", "--info", "x"], in: folder).text.contains("alpha"))
        for bad in ["-", ""] {
            let result = try CLITests.run(["index", "c.tsv", "-o", bad], in: folder)
            #expect(result.status == 2 && result.stderr.contains("-o"), "\(bad): \(result.stderr)")
        }
        let before = try Data(contentsOf: URL(fileURLWithPath: corpus))
        let classifier = folder.appendingPathComponent("s.fsc").path
        #expect(try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", corpus, "-o", classifier]).status == 0)
        let fsc = try Data(contentsOf: URL(fileURLWithPath: classifier))
        let refusals: [[String]] = [
            ["index", corpus, "-o", corpus],
            ["train", "--model", CLITests.tinyModel, "--examples", corpus, "-o", corpus],
            ["test", classifier, corpus, "--report", classifier],
            ["embed", "--model", CLITests.tinyModel, "-o", corpus, corpus],
        ]
        for arguments in refusals {
            let result = try CLITests.run(arguments)
            #expect(result.status == 2 && result.stderr.contains("writing it would destroy that input"), "\(arguments): \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: corpus)) == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: classifier)) == fsc)
        let model = folder.appendingPathComponent("m.safetensors").path
        #expect(try CLITests.run(["convert", CLITests.tinyModel, "-o", model]).status == 0)
        #expect(try CLITests.run(["convert", model, "--dtype", "f16", "-o", model]).status == 0)
        #expect(try CLITests.run(["train", "--update", classifier, corpus, "-o", classifier]).status == 0)
    }

    @Test func outputsOntoDirectoriesAndFIFOsAreRefusedBeforeAnyWork() throws {
        let folder = try Self.folder()
        let support = try Self.examples(in: folder, "support.tsv", labels: ["alpha", "beta"])
        let fifo = folder.appendingPathComponent("pipe").path
        #expect(mkfifo(fifo, 0o644) == 0)
        let directory = folder.appendingPathComponent("adirectory").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let model = CLITests.tinyModel
        for (destination, kind) in [(fifo, "a FIFO"), (directory, "a directory")] {
            let commands: [[String]] = [
                ["train", "--model", model, "--examples", support, "-o", destination],
                ["index", support, "-o", destination],
                ["embed", "--model", model, "-o", destination, support],
                ["convert", model, "-o", destination],
                ["vocab", "--size", "200", "--tsv", support, "-o", destination],
                ["merge", destination, destination, "-o", destination],
                ["meta-train", "--index", destination, "-o", destination],
            ]
            for arguments in commands {
                let result = try CLITests.run(arguments)
                #expect(result.status == 1, "\(arguments): \(result.stderr)")
                #expect(result.stderr.contains("is \(kind), not a regular file"), "\(arguments): \(result.stderr)")
            }
        }
        var info = stat()
        #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO, "the FIFO must still be a FIFO")
        #expect(try Self.leftovers(in: folder).isEmpty)
    }

    @Test func aSymlinkIsWrittenThroughAndPermissionsAreKept() throws {
        let folder = try Self.folder()
        let first = try Self.examples(in: folder, "first.tsv", labels: ["alpha", "beta"])
        let second = try Self.examples(in: folder, "second.tsv", labels: ["gamma", "delta"])
        let target = folder.appendingPathComponent("target.fsc").path
        #expect(try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", first, "-o", target]).status == 0)
        #expect(chmod(target, 0o640) == 0)
        let link = folder.appendingPathComponent("link.fsc").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "target.fsc")
        let rewritten = try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", second, "-o", link])
        #expect(rewritten.status == 0, "\(rewritten.stderr)")
        var info = stat()
        #expect(lstat(link, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK, "the link must stay a link")
        #expect(stat(target, &info) == 0 && info.st_mode & 0o777 == 0o640, "the target keeps its permissions")
        #expect(try Self.labels(of: target) == ["gamma", "delta"])
        #expect(try Self.leftovers(in: folder).isEmpty)
    }

    /// Several rounds of two `train --update` of one classifier started together, each adding its
    /// own label: the lock makes the second wait and read the first's result, so both labels land.
    @Test func concurrentUpdatesOfOneClassifierLoseNothing() throws {
        let folder = try Self.folder()
        let base = try Self.examples(in: folder, "base.tsv", labels: ["alpha", "beta"])
        let classifier = folder.appendingPathComponent("shared.fsc").path
        #expect(try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", base, "-o", classifier]).status == 0)
        var expected = ["alpha", "beta"]
        for round in 0..<3 {
            let names = ["left\(round)", "right\(round)"]
            let processes = try names.map { name -> Process in
                let process = Process()
                process.executableURL = URL(fileURLWithPath: CLITests.binary)
                process.arguments = [
                    "train", "--update", classifier, try Self.examples(in: folder, "\(name).tsv", labels: [name], perLabel: 200),
                ]
                process.standardError = FileHandle.nullDevice
                return process
            }
            for process in processes { try process.run() }
            for process in processes { process.waitUntilExit() }
            #expect(processes.allSatisfy { $0.terminationStatus == 0 })
            expected += names
            #expect(Set(try Self.labels(of: classifier)) == Set(expected), "round \(round)")
        }
        #expect(try Self.leftovers(in: folder).isEmpty)
    }
}
