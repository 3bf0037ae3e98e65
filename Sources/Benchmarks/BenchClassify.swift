import Corpus
import Embedding
import FewShot
import Foundation

/// `fewshot bench classify`: the everyday job measured end to end through a pipe: a classifier
/// from examples/support.tsv with the chosen model, then 100k sample lines (or a file of real
/// text) piped into `fewshot classify`, for each thread count and batch size asked for; reports
/// lines/s, tokens/s, the achieved GFLOP/s beside the GEMM rate on the same rows and threads
/// (`ForwardCost`), time to the first result, and the classify process's own peak RSS (the
/// classifier is trained in this process, so no other child counts).
public enum BenchClassify {
    /// The files a run needs: the `fewshot` binary to pipe into, the support examples, the sample
    /// lines, and the encoder.
    public struct Inputs {
        public let executable: String
        public let support: String
        public let sample: String
        public let model: String

        public init(executable: String, support: String, sample: String, model: String) {
            self.executable = executable
            self.support = support
            self.sample = sample
            self.model = model
        }
    }

    /// `openSet`: classify with `--threshold auto`, which adds each line's closeness to the
    /// model's background topics (`BackgroundTopics`) to the work.
    public static func run(
        _ inputs: Inputs, runs: Int, linesFile: String?, total: Int? = nil, threadCounts: [Int], batchSizes: [Int], openSet: Bool = false,
        print: (String) -> Void
    ) throws {
        let (executable, support, sample) = (inputs.executable, inputs.support, inputs.sample)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fewshot-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer {
            // Only the scratch folder: if it cannot go, say where it stays.
            do { try FileManager.default.removeItem(at: directory) } catch { print("note: could not remove \(directory.path): \(error)") }
        }
        let classifier = directory.appendingPathComponent("bench.fsc").path
        // Trained here, not by a `fewshot train` child: the children's peak RSS is then classify's alone.
        let sentenceEncoder = try SentenceEncoder.load(inputs.model)
        let trainer = FewShotClassifier(model: sentenceEncoder)
        try trainer.add(try LabeledFile(path: support).examples)
        try trainer.save(to: classifier)
        let source = linesFile ?? sample
        // Read as every other input is (clear errors for a missing or unreadable file).
        let lines = try BenchmarkLines.lines(of: source).map { String(decoding: $0, as: UTF8.self) }.filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw BenchmarkError("'\(source)' has no lines to classify") }
        let count = total ?? (linesFile == nil ? 100_000 : lines.count * max(1, (5_000 + lines.count - 1) / lines.count))
        var input = Data()
        for index in 0..<count { input.append(contentsOf: Array((lines[index % lines.count] + "\n").utf8)) }
        let words = String(format: "%.1f", Double(lines.reduce(0) { $0 + $1.split(separator: " ").count }) / Double(lines.count))
        let lengths = sentenceEncoder.tokenize(lines.map { Array($0.utf8) }).map(\.count)
        let meanLength = Double(lengths.reduce(0, +)) / Double(lengths.count)
        let config = sentenceEncoder.encoder.config
        // Every line is encoded once: the work of `count` lines is `count / lines.count` passes over the file.
        let flops = ForwardCost.flops(config: config, lengths: lengths) * Double(count) / Double(lines.count)

        print(
            "bench classify: \(inputs.model), \(count) lines of \(source) (\(words) words, "
                + String(format: "%.1f", meanLength) + " tokens a line on average, \(input.count / 1000) kB) piped into "
                + "'fewshot classify\(openSet ? " --threshold auto" : "")'; median of \(runs) runs; \(BenchKernels.machineDescription())"
        )
        print("")
        print(
            "| threads | batch | lines/s | tokens/s | GFLOP/s | GEMM GFLOP/s, same rows | of GEMM | first result ms | peak RSS MB | "
                + "lines/s of each run |")
        print("|---|---|---|---|---|---|---|---|---|---|")
        for threads in threadCounts {
            for batch in batchSizes {
                var rates: [Double] = []
                var firsts: [Double] = []
                var peak = 0
                for _ in 1...runs {
                    let (seconds, first, rss) = try classifyOnce(
                        executable: executable,
                        arguments: ["classify", classifier, "--batch", "\(batch)"] + (openSet ? ["--threshold", "auto"] : []),
                        threads: threads,
                        input: input, lines: count)
                    rates.append(Double(count) / seconds)
                    firsts.append(first)
                    peak = max(peak, rss)
                }
                let rate = rates.sorted()[rates.count / 2]
                let achieved = flops / (Double(count) / rate) / 1e9
                let gemm = ForwardCost.gemmRate(
                    config: config, rows: max(1, Int(meanLength * Double(batch))), threads: threads, runs: 5)
                print(
                    String(
                        format: "| %d | %d | %.0f | %.0f | %.1f | %.1f | %.0f%% | %.0f | %.0f | %@ |", threads, batch, rate,
                        rate * meanLength, achieved, gemm, achieved / gemm * 100, firsts.sorted()[firsts.count / 2] * 1000,
                        Double(peak) / 1024, rates.map { String(format: "%.0f", $0) }.joined(separator: ", ")))
            }
        }
    }

    /// One `fewshot classify` process fed `input`: wall seconds to the end of its output, seconds to the first output,
    /// and its peak resident set in kB (VmHWM, read from /proc while it runs; the last reading is
    /// taken when its output ends, just before it exits).
    static func classifyOnce(executable: String, arguments: [String], threads: Int, input: Data, lines: Int) throws -> (
        Double, Double, Int
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["FEWSHOT_THREADS"] = "\(threads)"
        process.environment = environment
        let stdin = Pipe()
        let stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        let start = Date()
        try process.run()
        let writeError = WriteError()
        let writer = Thread {
            do {
                try stdin.fileHandleForWriting.write(contentsOf: input)
                try stdin.fileHandleForWriting.close()
            } catch {
                writeError.set(error)
            }
        }
        writer.start()
        let reader = stdout.fileHandleForReading
        var firstResult: Double?
        var received = 0
        var peak = 0
        // The resident set is read at most every 5 ms and once more when the output ends: reading
        // /proc after every chunk took this process more CPU time than a fast classify's own
        // work, on the same cores.
        var lastReading = Date.distantPast
        while true {
            let chunk = reader.availableData
            if chunk.isEmpty || Date().timeIntervalSince(lastReading) >= 0.005 {
                peak = max(peak, peakResidentKilobytes(process.processIdentifier) ?? 0)
                lastReading = Date()
            }
            if chunk.isEmpty { break }
            if firstResult == nil { firstResult = Date().timeIntervalSince(start) }
            received += chunk.withUnsafeBytes { bytes in bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } }
        }
        // The run ends when the output does: classify closes it only as it exits, after its
        // memory is released. Foundation's waitUntilExit polls every 50 ms, which added up to
        // 50 ms to each run (a third of a fast model's 20,000 short lines).
        let total = Date().timeIntervalSince(start)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw BenchmarkError("classify exited with status \(process.terminationStatus)") }
        if let error = writeError.get() { throw BenchmarkError("writing the lines to classify failed: \(error)") }
        guard received == lines else { throw BenchmarkError("classify printed \(received) lines for \(lines)") }
        return (total, firstResult ?? total, peak)
    }

    /// VmHWM of a running process, in kB (nil once it has exited).
    static func peakResidentKilobytes(_ pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }) else { return nil }
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }

    /// The error of the thread that feeds classify, read after it is done.
    final class WriteError: @unchecked Sendable {
        private var error: (any Error)?
        private let lock = NSLock()
        func set(_ value: any Error) { lock.withLock { error = value } }
        func get() -> (any Error)? { lock.withLock { error } }
    }
}
