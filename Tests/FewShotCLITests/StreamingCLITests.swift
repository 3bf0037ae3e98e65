import Foundation
import Testing

/// `fewshot classify` on a pipe: it reads on while input is ready and answers before it waits.
@Suite struct StreamingCLITests {
    /// What a child wrote to a pipe so far, collected by a reading thread.
    final class Collected: @unchecked Sendable {
        private var data = Data()
        private let lock = NSLock()
        func append(_ chunk: Data) { lock.withLock { data.append(chunk) } }
        var lines: Int { lock.withLock { data.filter { $0 == 0x0A }.count } }
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
    }

    static func classifier() throws -> String {
        let folder = try WriteSafetyTests.folder()
        let path = folder.appendingPathComponent("fast.fsc").path
        let support = CLITests.root.appendingPathComponent("examples/support.tsv").path
        let trained = try CLITests.run(["train", "--model", "fast", "--examples", support, "-o", path])
        #expect(trained.status == 0, "\(trained.stderr)")
        return path
    }

    /// Waits up to `seconds` for `count` output lines.
    static func wait(for count: Int, in output: Collected, seconds: Double = 30) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while output.lines < count && Date() < deadline { usleep(5_000) }
        return output.lines >= count
    }

    @Test func eachLineIsAnsweredBeforeTheNextOneArrives() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["classify", try Self.classifier()]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let collected = Collected()
        let reader = Thread {
            while case let chunk = output.fileHandleForReading.availableData, !chunk.isEmpty { collected.append(chunk) }
        }
        reader.start()
        try input.fileHandleForWriting.write(contentsOf: Data("the orchestra tuned their violins\n".utf8))
        #expect(Self.wait(for: 1, in: collected), "no answer to the first line while the input stays open")
        try input.fileHandleForWriting.write(contentsOf: Data("the judge read the verdict\n\n".utf8))
        #expect(Self.wait(for: 3, in: collected), "no answer to the next two lines while the input stays open")
        try input.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = collected.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.count == 4 && lines[0].hasPrefix("music\t") && lines[1].hasPrefix("law\t") && lines[2].isEmpty, "\(lines)")
    }

    /// Thousands of lines arriving at once go through in full batches, none lost or reordered:
    /// the answers equal those for the same lines read from a file.
    @Test func aFastStreamGivesTheAnswersOfTheSameFile() throws {
        let classifier = try Self.classifier()
        let sample = String(decoding: try Data(contentsOf: CLITests.root.appendingPathComponent("examples/sample.txt")), as: UTF8.self)
        let lines = sample.split(separator: "\n").map(String.init)
        let many = (0..<3_000).map { lines[$0 % lines.count] + ($0 % 7 == 0 ? "" : " \($0)") }.joined(separator: "\n") + "\n"
        let folder = try WriteSafetyTests.folder()
        let file = folder.appendingPathComponent("many.txt")
        try Data(many.utf8).write(to: file)
        let fromFile = try CLITests.run(["classify", classifier, file.path])
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["classify", classifier, "--batch", "100"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        let writer = Thread {
            try? input.fileHandleForWriting.write(contentsOf: Data(many.utf8))
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let piped = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(fromFile.status == 0 && process.terminationStatus == 0)
        #expect(fromFile.lines.count == 3_000 && piped == fromFile.text)
    }
}
