import FewShot
import Foundation

/// `fewshot bench classify`: the everyday job measured end to end through a pipe: a classifier
/// from examples/support.tsv with the shipped model, then 100k lines piped into
/// `fewshot classify`; reports lines/s, time to the first result, and the child's peak RSS.
enum BenchClassify {
    static func run(runs: Int, model: String?) throws {
        guard let support = Resources.locate("examples/support.tsv"), let sample = Resources.locate("examples/sample.txt") else {
            throw CLIError.runtime("examples/support.tsv and examples/sample.txt were not found", hint: "run from the fewshot checkout")
        }
        let executable = try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fewshot-bench-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let classifier = directory.appendingPathComponent("bench.fsc").path
        var trainArguments = ["train", "--examples", support, "-o", classifier]
        if let model { trainArguments += ["--model", model] }
        let train = Process()
        train.executableURL = URL(fileURLWithPath: executable)
        train.arguments = trainArguments
        train.standardError = FileHandle.nullDevice
        try train.run()
        train.waitUntilExit()
        guard train.terminationStatus == 0 else { throw CLIError.runtime("fewshot train failed while preparing the benchmark") }
        let lines = try String(contentsOfFile: sample, encoding: .utf8).split(separator: "\n")
        var input = Data()
        for index in 0..<100_000 { input.append(contentsOf: Array((lines[index % lines.count] + "\n").utf8)) }

        print("bench classify: \(model ?? Resources.defaultModelPath), 100,000 lines (\(input.count / 1000) kB) piped into 'fewshot classify'; \(BenchKernels.machineDescription())")
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
            guard received == 100_000 else { throw CLIError.runtime("classify printed \(received) lines for 100000") }
            rates.append(100_000 / total)
            print(String(format: "| %d | %.0f | %.0f | %.2f | %.0f |", run, 100_000 / total, (firstResult ?? total) * 1000, total, Double(usage.ru_maxrss) / 1024))
        }
        print(String(format: "\nmedian: %.0f lines/s (peak RSS is the largest of all runs so far)", rates.sorted()[rates.count / 2]))
    }
}
