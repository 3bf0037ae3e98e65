import Corpus
import Embedding
import FewShot
import Foundation

/// `fewshot bench classify`: the everyday job measured end to end through a pipe: a classifier
/// from examples/support.tsv with the shipped model, then 100k sample lines (or a file of real
/// text) piped into `fewshot classify`; reports lines/s, time to the first result, and the
/// classify process's peak RSS (the classifier is trained in this process, so no other child
/// counts).
enum BenchClassify {
    static func run(runs: Int, model: String?, linesFile: String? = nil) throws {
        guard let support = Resources.locate("examples/support.tsv"), let sample = Resources.locate("examples/sample.txt") else {
            throw CLIError.runtime("examples/support.tsv and examples/sample.txt were not found", hint: "run from the fewshot checkout")
        }
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fewshot-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let classifier = directory.appendingPathComponent("bench.fsc").path
        // Trained here, not by a `fewshot train` child: the children's peak RSS is then classify's alone.
        let trainer = FewShotClassifier(model: try SentenceEncoder.load(try Resources.modelPath(model)))
        try trainer.add(try LabeledFile(path: support).examples)
        try trainer.save(to: classifier)
        let source = linesFile ?? sample
        let lines = try String(contentsOfFile: source, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).filter {
            !$0.isEmpty
        }
        guard !lines.isEmpty else { throw CLIError.runtime("'\(source)' has no lines to classify") }
        let count = linesFile == nil ? 100_000 : lines.count * max(1, (5_000 + lines.count - 1) / lines.count)
        var input = Data()
        for index in 0..<count { input.append(contentsOf: Array((lines[index % lines.count] + "\n").utf8)) }
        let words = lines.reduce(0) { $0 + $1.split(separator: " ").count } / lines.count

        print(
            "bench classify: \(model ?? Resources.defaultModelPath), \(count) lines of \(source) (\(words) "
                + "words a line on average, \(input.count / 1000) kB) piped into 'fewshot classify'; \(BenchKernels.machineDescription())"
        )
        print("")
        print("| run | lines/s | first result ms | total s | peak RSS MB |")
        print("|---|---|---|---|---|")
        var rates: [Double] = []
        for run in 1...runs {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["classify", classifier]
            let stdin = Pipe()
            let stdout = Pipe()
            process.standardInput = stdin
            process.standardOutput = stdout
            let start = Date()
            try process.run()
            let payload = input
            let writer = Thread {
                stdin.fileHandleForWriting.write(payload)
                try? stdin.fileHandleForWriting.close()
            }
            writer.start()
            let reader = stdout.fileHandleForReading
            var firstResult: Double?
            var received = 0
            while true {
                let chunk = reader.availableData
                if chunk.isEmpty { break }
                if firstResult == nil { firstResult = Date().timeIntervalSince(start) }
                received += chunk.filter { $0 == 0x0A }.count
            }
            process.waitUntilExit()
            let total = Date().timeIntervalSince(start)
            var usage = rusage()
            getrusage(RUSAGE_CHILDREN.rawValue, &usage)
            guard process.terminationStatus == 0 else { throw CLIError.runtime("classify exited with status \(process.terminationStatus)") }
            guard received == count else { throw CLIError.runtime("classify printed \(received) lines for \(count)") }
            rates.append(Double(count) / total)
            print(
                String(
                    format: "| %d | %.0f | %.0f | %.2f | %.0f |", run, Double(count) / total, (firstResult ?? total) * 1000, total,
                    Double(usage.ru_maxrss) / 1024))
        }
        print(String(format: "\nmedian: %.0f lines/s (peak RSS: the largest of the classify runs so far)", rates.sorted()[rates.count / 2]))
    }
}
