import Foundation
import Testing

/// Output that cannot be written is an error, never a silent exit 0: a streaming command whose
/// standard output is a full disk (/dev/full) says so and exits 1, and Ctrl-C in meta-train
/// saves its state and exits 130.
@Suite struct OutputErrorTests {
    /// Runs the binary with standard output on `/dev/full`; returns the status and stderr.
    static func runIntoFullDisk(_ arguments: [String], input: String) throws -> (status: Int32, stderr: String) {
        let folder = try WriteSafetyTests.folder()
        let inputURL = folder.appendingPathComponent("stdin")
        let errorURL = folder.appendingPathComponent("stderr")
        try Data(input.utf8).write(to: inputURL)
        try Data().write(to: errorURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = arguments
        process.currentDirectoryURL = CLITests.root
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: "/dev/full"))
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: errorURL), as: UTF8.self))
    }

    @Test(arguments: ["tokenize", "embed", "classify", "help"])
    func aFullDiskOnStandardOutputIsAnError(command: String) throws {
        guard FileManager.default.fileExists(atPath: "/dev/full") else { return }
        let folder = try WriteSafetyTests.folder()
        let support = try WriteSafetyTests.examples(in: folder, "support.tsv", labels: ["alpha", "beta"])
        let classifier = folder.appendingPathComponent("topics.fsc").path
        let trained = try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", support, "-o", classifier])
        #expect(trained.status == 0, "\(trained.stderr)")
        let arguments: [String] =
            switch command {
            case "tokenize": ["tokenize", "--vocab", CLITests.minilmVocab]
            case "embed": ["embed", "--model", CLITests.tinyModel]
            case "classify": ["classify", classifier]
            default: ["--help"]
            }
        // A few lines, and many: the error is met at the last flush and in the middle of a stream.
        for lines in [3, 20_000] {
            let input = String(repeating: "alpha example about beta\n", count: lines)
            let result = try Self.runIntoFullDisk(arguments, input: input)
            #expect(result.status == 1, "\(command), \(lines) lines: exit \(result.status), \(result.stderr)")
            #expect(result.stderr.contains("error: cannot write to standard output"), "\(command): \(result.stderr)")
        }
    }

    @Test func ctrlCInMetaTrainSavesTheStateAndExits130() throws {
        let folder = try WriteSafetyTests.folder()
        let corpus = try WriteSafetyTests.examples(in: folder, "corpus.tsv", labels: ["alpha", "beta", "gamma", "delta"], perLabel: 8)
        let index = folder.appendingPathComponent("corpus.fsi").path
        #expect(try CLITests.run(["index", corpus, "--default-split", "train", "-o", index]).status == 0)
        let output = folder.appendingPathComponent("model.safetensors").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = [
            "meta-train", "--index", index, "--init", CLITests.tinyModel, "--ways", "3", "--shots", "2", "--queries", "2",
            "--steps", "1000000", "--validate-every", "0", "--validation-family", "any", "-o", output,
        ]
        let errorURL = folder.appendingPathComponent("stderr")
        try Data().write(to: errorURL)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        // Interrupt once training has logged a step.
        let log = output + ".log.jsonl"
        let deadline = Date().addingTimeInterval(60)
        while process.isRunning, Date() < deadline, ((try? Data(contentsOf: URL(fileURLWithPath: log)))?.count ?? 0) == 0 {
            usleep(20_000)
        }
        kill(process.processIdentifier, SIGINT)
        // A run that ignores Ctrl-C fails the test instead of running on.
        let stopBy = Date().addingTimeInterval(30)
        while process.isRunning, Date() < stopBy { usleep(20_000) }
        let stopped = !process.isRunning
        if !stopped { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(stopped, "meta-train kept running 30 s after SIGINT")
        let stderr = String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        #expect(process.terminationStatus == 130, "\(stderr)")
        #expect(stderr.contains("interrupted at step"), "\(stderr)")
        #expect(FileManager.default.fileExists(atPath: output + ".state"))
    }
}

extension OutputErrorTests {
    /// Input with no newline at all (a device, a binary file) ends with an error naming the line,
    /// after what came before it was written, instead of growing a buffer until memory runs out.
    @Test func aStreamWithoutNewlinesIsAnErrorNotAnExhaustedMemory() throws {
        let result = try CLITests.run(["tokenize", "/dev/zero"])
        #expect(result.status == 1 && result.stderr.contains("line 1 is longer than"), "\(result.stderr)")
    }
}
