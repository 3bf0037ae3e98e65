import Foundation
import Testing

/// End-to-end tests of the real `fewshot` binary.
@Suite struct CLITests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let fixtures = root.appendingPathComponent("Tests/TokenizationTests/Fixtures")

    /// `FEWSHOT_BIN` (set by `make test`), else the debug build next to the tests.
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["FEWSHOT_BIN"] { return path }
        return root.appendingPathComponent(".build/debug/fewshot").path
    }

    struct Result {
        let status: Int32
        let stdout: Data
        let stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
        var lines: [String] {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            return lines
        }
    }

    /// Runs the binary with `input` on stdin (from a file, so no writer thread is needed).
    static func run(_ arguments: [String], input: Data = Data(), in directory: URL = root, environment: [String: String] = [:]) throws
        -> Result
    {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("fewshot-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let inputURL = scratch.appendingPathComponent("stdin")
        let errorURL = scratch.appendingPathComponent("stderr")
        try input.write(to: inputURL)
        FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let stdout = Pipe()
        process.standardInput = try FileHandle(forReadingFrom: inputURL)
        process.standardOutput = stdout
        process.standardError = try FileHandle(forWritingTo: errorURL)
        try process.run()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let err = try Data(contentsOf: errorURL)
        return Result(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }

    static var minilmVocab: String { fixtures.appendingPathComponent("minilm_vocab.txt").path }

    @Test func tokenizeKeepsEveryLineOnBadInput() throws {
        var input = Data()
        input.append(contentsOf: Array("Hello, World!\n".utf8))
        input.append(contentsOf: [0xFF, 0xFE, 0x0A])  // undecodable line
        input.append(contentsOf: Array("\n".utf8))  // empty line
        input.append(contentsOf: [0x61, 0x00, 0x62, 0x0D, 0x0A])  // NUL inside, CRLF
        input.append(contentsOf: [0xEF, 0xBB, 0xBF] + Array("bom line\n".utf8))
        input.append(contentsOf: Array(String(repeating: "word ", count: 200_000).utf8) + [0x0A])  // 1 MB line
        input.append(contentsOf: Array("no trailing newline".utf8))
        let result = try Self.run(["tokenize", "--vocab", Self.minilmVocab], input: input)
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.lines
        #expect(lines.count == 7)
        guard lines.count == 7 else { return }
        #expect(lines[0] == "[CLS] hello , world ! [SEP]")
        #expect(lines[1] == "[CLS] [SEP]")
        #expect(lines[2] == "[CLS] [SEP]")
        #expect(lines[3] == "[CLS] ab [SEP]")
        #expect(lines[4] == "[CLS] bo ##m line [SEP]")
        #expect(lines[5].split(separator: " ").count == 200_002)
        #expect(lines[6] == "[CLS] no trailing new ##line [SEP]")
    }

    @Test func tokenizeIdsTruncationAndNoSpecial() throws {
        let input = Data("one two three four five\n\n".utf8)
        let ids = try Self.run(["tokenize", "--vocab", Self.minilmVocab, "--ids", "--max-length", "4"], input: input)
        #expect(ids.lines == ["101 2028 2048 102", "101 102"])
        let plain = try Self.run(["tokenize", "--vocab", Self.minilmVocab, "--no-special", "-"], input: input)
        #expect(plain.lines == ["one two three four five", ""])
    }

    @Test func tokenizeReadsAFileArgumentAndTheShippedVocabulary() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).txt")
        try Data("A cell divides.\n".utf8).write(to: path)
        let result = try Self.run(["tokenize", path.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.lines.count == 1)
        #expect(result.lines.first?.hasPrefix("[CLS] a cell") == true)
    }

    /// Bad lists for bench classify are usage errors before any work starts.
    @Test func benchClassifyRefusesBadThreadAndBatchLists() throws {
        for (option, value, message) in [
            ("--threads", "0", "--threads must be in 1...256, got 0"), ("--threads", "1,,2", "--threads expects an integer, got ''"),
            ("--batch", "64,x", "--batch expects an integer, got 'x'"),
        ] {
            let result = try Self.run(["bench", "classify", option, value])
            #expect(result.status == 2, "\(option) \(value)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        // An option or file the benchmark does not read is refused, not ignored.
        for (arguments, message) in [
            (["bench", "train", "--lines", "x.txt"], "bench train does not use --lines"),
            (["bench", "kernels", "--threads", "1"], "bench kernels does not use --threads"),
            (["bench", "kernels", "extra.txt"], "bench kernels takes no file"),
        ] {
            let result = try Self.run(arguments)
            #expect(result.status == 2 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    /// FEWSHOT_THREADS beyond the cores is capped (1,000 threads made classify 300 times slower)
    /// and a value that is no count is ignored, each with a warning; the output is the same.
    @Test func aThreadSettingThatCannotBeUsedIsCappedOrIgnoredAndSaidSo() throws {
        let input = Data("Hello, World!\n".utf8)
        let plain = try Self.run(["tokenize", "--vocab", Self.minilmVocab], input: input)
        for (value, message) in [("1000", "is more than the"), ("abc", "is not a whole number"), ("0", "is not a whole number")] {
            let result = try Self.run(["tokenize", "--vocab", Self.minilmVocab], input: input, environment: ["FEWSHOT_THREADS": value])
            #expect(result.status == 0 && result.text == plain.text && result.stderr.contains(message), "\(value): \(result.stderr)")
        }
        #expect(
            try Self.run(["tokenize", "--vocab", Self.minilmVocab], input: input, environment: ["FEWSHOT_THREADS": "1"]).stderr.isEmpty)
    }

    @Test func errorsAndUsage() throws {
        let unknownOption = try Self.run(["tokenize", "--frobnicate"])
        #expect(unknownOption.status == 2)
        #expect(unknownOption.stderr.contains("error: unknown option '--frobnicate'"))
        #expect(unknownOption.stderr.contains("hint:"))
        let badValue = try Self.run(["tokenize", "--max-length", "one"])
        #expect(badValue.status == 2)
        let missingFile = try Self.run(["tokenize", "--vocab", Self.minilmVocab, "/nonexistent/input.txt"])
        #expect(missingFile.status == 1)
        #expect(missingFile.stderr.contains("error: cannot open '/nonexistent/input.txt'"))
        let missingVocab = try Self.run(["tokenize", "--vocab", "/nonexistent/vocab.txt"], input: Data("x\n".utf8))
        #expect(missingVocab.status == 1)
        #expect(missingVocab.stderr.contains("/nonexistent/vocab.txt"))
        let help = try Self.run(["tokenize", "--help"])
        #expect(help.status == 0)
        #expect(help.text.contains("--max-length N"))
        let unknownCommand = try Self.run(["frobnicate"])
        #expect(unknownCommand.status == 2)
        let topHelp = try Self.run(["--help"])
        #expect(topHelp.status == 0 && topHelp.text.contains("tokenize"))
    }

    @Test func vocabCommandIsDeterministicAndLoadable() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let corpus = Self.root.appendingPathComponent("corpora/domains.tsv").path
        let first = directory.appendingPathComponent("a.txt").path
        let second = directory.appendingPathComponent("b.txt").path
        let one = try Self.run(["vocab", "--size", "800", "--tsv", corpus, "-o", first])
        let two = try Self.run(["vocab", "--size", "800", "--tsv", corpus, "-o", second])
        #expect(one.status == 0 && two.status == 0, "\(one.stderr)")
        let a = try Data(contentsOf: URL(fileURLWithPath: first))
        #expect(a == (try Data(contentsOf: URL(fileURLWithPath: second))))
        #expect(String(decoding: a, as: UTF8.self).split(separator: "\n").count == 800)
        let tokenized = try Self.run(["tokenize", "--vocab", first], input: Data("a cell\n".utf8))
        #expect(tokenized.status == 0)
        #expect(tokenized.lines.count == 1)
        let missingOutput = try Self.run(["vocab", corpus])
        #expect(missingOutput.status == 2)
    }

    @Test func indexInfoAndEvalOnAUsersOwnFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-index-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var tsv = "broken line without tab\n"
        let topics = [
            "sport": "ball game team goal match", "law": "court judge legal trial appeal", "music": "song melody note rhythm band",
            "food": "cook meal dish taste kitchen", "sky": "cloud rain weather storm wind", "sea": "ship boat wave ocean sail",
        ]
        for (label, words) in topics.sorted(by: { $0.key < $1.key }) {
            for example in 0..<25 { tsv += "\(label)\t\(words) example \(example)\n" }
        }
        let corpus = directory.appendingPathComponent("mine.tsv").path
        try Data(tsv.utf8).write(to: URL(fileURLWithPath: corpus))
        let index = directory.appendingPathComponent("mine.fsi").path
        let built = try Self.run(["index", corpus, "--default-split", "test", "-o", index])
        #expect(built.status == 0, "\(built.stderr)")
        #expect(built.stderr.contains("mine.tsv:1: skipped: no tab"))
        #expect(built.stderr.contains("150 examples, 6 labels"))
        let info = try Self.run(["index", "--info", index])
        #expect(info.status == 0)
        #expect(info.text.contains("| mine | test | 6 | 150 |"))
        let eval = try Self.run(["eval", "--model", "tfidf", "--index", index, "--split", "test", "--episodes", "20", "--shots", "1,5"])
        // No meta-train split in this index: TF-IDF has nothing to fit on, which is a clear error.
        #expect(eval.status == 1)
        #expect(eval.stderr.contains("error:"))
        let both = try Self.run(["index", corpus, "-o", directory.appendingPathComponent("train.fsi").path])
        #expect(both.status == 0)
        // 6 labels make 6-way episodes but not 7-way ones, which is a clear error.
        let sixWay = try Self.run(["eval", "--model", Self.tinyModel, "--index", index, "--ways", "6", "--episodes", "5", "--shots", "1"])
        #expect(sixWay.status == 0, "\(sixWay.stderr)")
        let sevenWay = try Self.run(["eval", "--model", Self.tinyModel, "--index", index, "--ways", "7", "--episodes", "5"])
        #expect(sevenWay.status == 1)
        #expect(sevenWay.stderr.contains("no 7 labels"), "\(sevenWay.stderr)")
        let corrupt = directory.appendingPathComponent("corrupt.fsi").path
        var bytes = try Data(contentsOf: URL(fileURLWithPath: index))
        bytes[bytes.count / 2] ^= 0xFF
        try bytes.write(to: URL(fileURLWithPath: corrupt))
        let refused = try Self.run(["eval", "--index", corrupt])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("corrupt.fsi"))
    }

    @Test func evalOnTheShippedCorpora() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-eval-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let index = directory.appendingPathComponent("corpora.fsi").path
        let corpora = ["corpora/domains.tsv", "corpora/categories.tsv"].map { Self.root.appendingPathComponent($0).path }
        let built = try Self.run(["index"] + corpora + ["-o", index])
        #expect(built.status == 0, "\(built.stderr)")
        let eval = try Self.run(["eval", "--model", "tfidf", "--index", index, "--episodes", "100", "--shots", "1,5"])
        #expect(eval.status == 0, "\(eval.stderr)")
        let rows = eval.lines.filter { $0.hasPrefix("| any | 1 |") || $0.hasPrefix("| any | 5 |") }
        #expect(rows.count == 2)
        let accuracies = rows.compactMap { Double($0.split(separator: "|")[2].trimmingCharacters(in: .whitespaces)) }
        #expect(accuracies.count == 2)
        // Far above chance (20%), and more shots help.
        #expect(accuracies[0] > 30 && accuracies[1] > accuracies[0] + 10)
        let again = try Self.run(["eval", "--model", "tfidf", "--index", index, "--episodes", "100", "--shots", "1,5"])
        #expect(
            again.lines.filter { $0.hasPrefix("| any | 1 |") }.map { $0.split(separator: "|")[2] }
                == rows.prefix(1).map { $0.split(separator: "|")[2] })
        // One block per family with test labels: only the domains family has them in WordNet.
        let each = try Self.run(["eval", "--model", "tfidf", "--index", index, "--episodes", "20", "--shots", "5", "--family", "each"])
        #expect(each.status == 0, "\(each.stderr)")
        #expect(each.lines.filter { $0.hasPrefix("| domains | 5 |") }.count == 1)
        #expect(!each.text.contains("| categories |"))
        let calibrated = try Self.run([
            "eval", "--model", Self.tinyModel, "--index", index, "--episodes", "20", "--shots", "5", "--calibration",
        ])
        #expect(calibrated.status == 0, "\(calibrated.stderr)")
        let calibrationRow = calibrated.lines.last { $0.hasPrefix("| any | 5 |") }?.split(separator: "|").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        #expect(calibrationRow.map { $0.count >= 6 && Double($0[3]).map { (0...1).contains($0) } == true } == true, "\(calibrated.text)")
        #expect(try Self.run(["eval", "--model", "tfidf", "--index", index, "--episodes", "5", "--calibration"]).status == 2)
        let unknown = try Self.run(["eval", "--model", "tfidf", "--index", index, "--family", "nonesuch"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no family 'nonesuch'"))
    }

    @Test func embedGivesOneRowPerLineAsTextOrNpy() throws {
        let model = Self.root.appendingPathComponent("Tests/EmbeddingTests/Fixtures/tiny-bert").path
        var input = Data("A man is eating food.\n\n".utf8)
        input.append(contentsOf: [0xFF, 0xFE, 0x0A])
        input.append(contentsOf: Array("last line without newline".utf8))
        let text = try Self.run(["embed", "--model", model, "--batch", "2"], input: input)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.lines.count == 4)
        #expect(text.lines.allSatisfy { $0.split(separator: " ").count == 32 })
        let first = text.lines[0].split(separator: " ").compactMap { Float($0) }
        let norm = first.map { $0 * $0 }.reduce(0, +)
        #expect(abs(norm - 1) < 1e-4)

        let npyPath = FileManager.default.temporaryDirectory.appendingPathComponent("embed-\(UUID().uuidString).npy").path
        let npy = try Self.run(["embed", "--model", model, "--format", "npy", "-o", npyPath], input: input)
        #expect(npy.status == 0, "\(npy.stderr)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: npyPath))
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<10 + headerLength], as: UTF8.self)
        #expect(header.contains("'shape': (4, 32)"))
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes.count == 10 + headerLength + 4 * 32 * 4)
        let firstValue = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: 10 + headerLength, as: Float.self) }
        #expect(abs(firstValue - first[0]) < 1e-6)

        let missing = try Self.run(["embed", "--model", "/nonexistent/model"], input: input)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("error:") && missing.stderr.contains("/nonexistent/model"))
        let npyWithoutOutput = try Self.run(["embed", "--model", model, "--format", "npy"], input: input)
        #expect(npyWithoutOutput.status == 2)
    }

    static var tinyModel: String { root.appendingPathComponent("Tests/EmbeddingTests/Fixtures/tiny-bert").path }

    /// Two labels of two short examples each, written to a temporary `name`.
    static func twoLabelSupport(_ name: String) throws -> URL {
        let url = try temporary(name)
        try Data("sport\tfootball match goal\nsport\tthe team won the cup\nmusic\tsong melody rhythm\nmusic\tthe choir sang\n".utf8)
            .write(to: url)
        return url
    }

    static func temporary(_ name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name)
    }

    @Test func trainClassifyUpdateAndTestEndToEnd() throws {
        let support = try Self.temporary("support.tsv")
        var text = "\u{FEFF}sport\tfootball match goal team\r\n"
        text += "sport\tthe team won the cup final\n"
        text += "this line has no tab\n"
        text += "la musique\tsong melody rhythm band\n"
        text += "la musique\tthe choir sang a hymn\n"
        text += "sport\t   \n"
        try Data(text.utf8).write(to: support)
        let classifier = try Self.temporary("topics.fsc").path
        let trained = try Self.run(["train", "--model", Self.tinyModel, "--examples", support.path, "-o", classifier])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("support.tsv:3: skipped"))
        #expect(trained.stderr.contains("support.tsv:6: skipped"))
        #expect(trained.stderr.contains("2 labels: sport 2, la musique 2"))

        var input = Data("the goal of the match\n\n   \n".utf8)
        input.append(contentsOf: [0xFF, 0xFE, 0x0A])  // undecodable
        input.append(contentsOf: Array("nul\u{0}byte\r\n".utf8))
        input.append(contentsOf: Array(String(repeating: "melody ", count: 1_500_000).utf8) + [0x0A])  // 10 MB line
        input.append(contentsOf: Array("a song without newline".utf8))
        let classified = try Self.run(["classify", classifier], input: input)
        #expect(classified.status == 0, "\(classified.stderr)")
        let lines = classified.lines
        #expect(lines.count == 7)
        guard lines.count == 7 else { return }
        #expect(lines[1] == "" && lines[2] == "" && lines[3] == "")
        for index in [0, 4, 5, 6] {
            let fields = lines[index].split(separator: "\t")
            #expect(fields.count == 2 && ["sport", "la musique"].contains(String(fields[0])), "\(lines[index])")
            #expect(Double(fields.last ?? "").map { (0...1).contains($0) } == true)
        }
        let top = try Self.run(["classify", classifier, "--top", "2", "--format", "tsv"], input: Data("goal\n".utf8))
        #expect(top.lines.first?.split(separator: "\t").count == 4)
        let json = try Self.run(
            ["classify", classifier, "--format", "json", "--threshold", "0.99", "--unknown", "other"], input: Data("goal\n\n".utf8))
        #expect(json.lines.count == 2)
        #expect(json.lines.first?.contains("\"label\":\"other\"") == true)
        #expect(json.lines.last?.contains("\"label\":\"\"") == true)

        // Update with a new label, then score a labelled file.
        let more = try Self.temporary("more.tsv")
        try Data("law\tthe court heard the appeal\nlaw\ta judge and a jury\n".utf8).write(to: more)
        let updated = try Self.run(["train", "--update", classifier, more.path])
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(updated.stderr.contains("3 labels"))
        let labelled = try Self.temporary("labelled.tsv")
        try Data("sport\tfootball team\nlaw\tcourt appeal judge\nla musique\tsong\nunknown label\tsomething\n".utf8).write(to: labelled)
        let tested = try Self.run(["test", classifier, labelled.path])
        #expect(tested.status == 0, "\(tested.stderr)")
        #expect(tested.text.contains("examples 4"))
        #expect(tested.text.contains("confusion matrix"))
        let testedJSON = try Self.run(["test", classifier, labelled.path, "--format", "json"])
        #expect(testedJSON.text.hasPrefix("{\"examples\":4,"))
        // The json carries the calibration bins the text prints, line counts adding up to the examples scored.
        let object = try JSONSerialization.jsonObject(with: testedJSON.stdout) as? [String: Any]
        let bins = object?["calibration_bins"] as? [[String: Any]] ?? []
        let binLines = tested.text.split(separator: "\n").filter { $0.range(of: #"^\d\.\d-\d\.\d "#, options: .regularExpression) != nil }
        #expect(!bins.isEmpty && bins.count == binLines.count, "\(bins) \(binLines)")
        #expect(bins.compactMap { $0["lines"] as? Int }.reduce(0, +) == 4)
    }

    @Test func updateEqualsTrainingOnTheUnion() throws {
        let first = try Self.temporary("first.tsv")
        let second = try Self.temporary("second.tsv")
        let union = try Self.temporary("union.tsv")
        try Data("a\tone apple\nb\ttwo rivers\n".utf8).write(to: first)
        try Data("a\tthree apples\nc\tfour clouds\n".utf8).write(to: second)
        try Data("a\tone apple\nb\ttwo rivers\na\tthree apples\nc\tfour clouds\n".utf8).write(to: union)
        let incremental = try Self.temporary("incremental.fsc").path
        let whole = try Self.temporary("whole.fsc").path
        // A fixed temperature: the fitted one depends on which examples were embedded together.
        #expect(
            try Self.run([
                "train", "--model", Self.tinyModel, "--finetune-steps", "0", "--temperature", "20", "--examples", first.path, "-o",
                incremental,
            ]).status == 0)
        #expect(try Self.run(["train", "--update", incremental, second.path, "--temperature", "20"]).status == 0)
        #expect(
            try Self.run([
                "train", "--model", Self.tinyModel, "--finetune-steps", "0", "--temperature", "20", "--examples", union.path, "-o", whole,
            ]).status == 0)
        let queries = Data("apple\nriver\ncloud\n".utf8)
        let a = try Self.run(["classify", incremental, "--top", "3"], input: queries)
        let b = try Self.run(["classify", whole, "--top", "3"], input: queries)
        #expect(a.status == 0 && a.text == b.text)
    }

    @Test func mergeEqualsTrainingOnTheUnionAndRefusesOtherEncoders() throws {
        let first = try Self.temporary("m1.tsv")
        let second = try Self.temporary("m2.tsv")
        let union = try Self.temporary("mu.tsv")
        try Data("a\tone apple\nb\ttwo rivers\n".utf8).write(to: first)
        try Data("a\tthree apples\nc\tfour clouds\n".utf8).write(to: second)
        try Data("a\tone apple\nb\ttwo rivers\na\tthree apples\nc\tfour clouds\n".utf8).write(to: union)
        let (a, b, whole, merged) = try (
            Self.temporary("m1.fsc").path, Self.temporary("m2.fsc").path, Self.temporary("mu.fsc").path, Self.temporary("mm.fsc").path
        )
        // A fixed temperature, so probabilities compare exactly (merging averages fitted ones).
        for (examples, output) in [(first, a), (second, b), (union, whole)] {
            #expect(
                try Self.run(["train", "--model", Self.tinyModel, "--temperature", "20", "--examples", examples.path, "-o", output]).status
                    == 0)
        }
        let result = try Self.run(["merge", a, b, "-o", merged])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("3 labels: a 2, b 1, c 1"))
        let queries = Data("apple\nriver\ncloud\n".utf8)
        let fromMerge = try Self.run(["classify", merged, "--top", "3"], input: queries)
        let fromUnion = try Self.run(["classify", whole, "--top", "3"], input: queries)
        #expect(fromMerge.status == 0 && fromMerge.lines.count == 3)
        // Same labels in the same order, probabilities equal up to float summation order.
        for (x, y) in zip(fromMerge.lines, fromUnion.lines) {
            let p = x.split(separator: "\t"), q = y.split(separator: "\t")
            #expect(p.count == q.count)
            for (u, v) in zip(p, q) {
                if let u = Double(u), let v = Double(v) { #expect(abs(u - v) < 1e-4) } else { #expect(u == v) }
            }
        }
        let adapted = try Self.temporary("adapted.fsc").path
        #expect(
            try Self.run([
                "train", "--model", Self.tinyModel, "--examples", second.path, "--finetune-steps", "3", "--finetune-choice", "always",
                "-o", adapted,
            ]).status == 0)
        let refused = try Self.run(["merge", a, adapted, "-o", try Self.temporary("bad.fsc").path])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("different encoders"))
        let usage = try Self.run(["merge", a, "-o", merged])
        #expect(usage.status == 2)
    }

    @Test func labelsFromNamesMakeAClassifierAloneOrWithExamplesAndBadLabelFilesAreRefused() throws {
        let names = try Self.temporary("names.tsv")
        try Data("apple\nriver_2\ncloud\tthe white thing in the sky\n".utf8).write(to: names)
        let zero = try Self.temporary("zero.fsc").path
        let trained = try Self.run(["train", "--model", Self.tinyModel, "--labels", names.path, "-o", zero])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("3 labels: apple 1, river_2 1, cloud 1"))
        let classified = try Self.run(["classify", zero], input: Data("apple\nriver\n\n".utf8))
        #expect(classified.status == 0 && classified.lines.count == 3)
        let examples = try Self.temporary("few.tsv")
        try Data("apple\tone apple\npear\ta pear\n".utf8).write(to: examples)
        let both = try Self.run([
            "train", "--model", Self.tinyModel, "--examples", examples.path, "--labels", names.path, "-o",
            try Self.temporary("both.fsc").path,
        ])
        #expect(both.status == 0 && both.stderr.contains("4 labels: apple 2, pear 1, river_2 1, cloud 1"), "\(both.stderr)")
        for (content, problem) in [
            ("apple\n\tno label\n", "names-bad.tsv:2: empty label"),
            ("apple\nriver\napple\tagain\n", "names-bad.tsv:3: label 'apple' is already defined on line 1"),
        ] {
            let bad = try Self.temporary("names-bad.tsv")
            try Data(content.utf8).write(to: bad)
            let refused = try Self.run(["train", "--model", Self.tinyModel, "--labels", bad.path, "-o", try Self.temporary("bad.fsc").path])
            #expect(refused.status == 1 && refused.stderr.contains(problem), "\(refused.stderr)")
        }
    }

    @Test func trainFitsTheTemperatureOnItsOwnExamplesAndTestReportsCalibration() throws {
        let several = try Self.temporary("several.tsv")
        try Data("a\tone apple\na\tred apples\na\tan apple tree\nb\ttwo rivers\nb\ta river bank\nb\tthe river flows\n".utf8).write(
            to: several)
        let single = try Self.temporary("single.tsv")
        try Data("a\tone apple\nb\ttwo rivers\n".utf8).write(to: single)
        func temperature(_ stderr: String) -> Double? {
            stderr.range(of: "softmax temperature ").flatMap { Double(stderr[$0.upperBound...].prefix { $0 != " " && $0 != ";" }) }
        }
        let fitted = try Self.temporary("fitted.fsc").path
        let trained = try Self.run(["train", "--model", Self.tinyModel, "--examples", several.path, "-o", fitted])
        let t = try #require(temperature(trained.stderr), "\(trained.stderr)")
        #expect(t >= 2 && t <= 100 && t != 20, "leave-one-out fit within its range")
        let one = try Self.run(["train", "--model", Self.tinyModel, "--examples", single.path, "-o", try Self.temporary("one.fsc").path])
        #expect(temperature(one.stderr) == 8, "one example per label: nothing to fit, the one-shot temperature")
        let fixed = try Self.run([
            "train", "--model", Self.tinyModel, "--examples", several.path, "--temperature", "7.5", "-o",
            try Self.temporary("fixed.fsc").path,
        ])
        #expect(temperature(fixed.stderr) == 7.5)
        #expect(
            try Self.run(["train", "--model", Self.tinyModel, "--examples", several.path, "--temperature", "-1", "-o", fitted]).status == 2)
        let tested = try Self.run(["test", fitted, several.path, "--format", "json"])
        #expect(tested.status == 0)
        #expect(tested.text.contains("\"temperature\":"))
        let ece = tested.text.range(of: "\"ece\":").flatMap { Double(tested.text[$0.upperBound...].prefix { $0 != "," }) }
        #expect(ece.map { (0...1).contains($0) } == true, "\(tested.text)")
        let text = try Self.run(["test", fitted, several.path])
        #expect(text.text.contains("calibration: expected calibration error"))
    }

    @Test func damagedClassifiersAreRefused() throws {
        let support = try Self.temporary("s.tsv")
        try Data("a\tone\nb\ttwo\n".utf8).write(to: support)
        let path = try Self.temporary("good.fsc").path
        #expect(try Self.run(["train", "--model", Self.tinyModel, "--examples", support.path, "-o", path]).status == 0)
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        func refused(_ bytes: Data) throws {
            let damaged = try Self.temporary("damaged.fsc").path
            try bytes.write(to: URL(fileURLWithPath: damaged))
            let result = try Self.run(["classify", damaged], input: Data("x\n".utf8))
            #expect(result.status == 1)
            #expect(result.stderr.hasPrefix("error:") && result.stderr.contains(damaged), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        var flipped = original
        flipped[original.count - 7] ^= 0x20
        try refused(flipped)
        try refused(original.prefix(original.count / 2))
        try refused(original.prefix(3))
        var version = original
        if let range = version.range(of: Data("classifier.version\":\"4\"".utf8)) {
            version[range.upperBound - 2] = UInt8(ascii: "9")
            try refused(version)
        } else {
            Issue.record("version field not found")
        }
        // An encoder file is not a classifier.
        let encoderOnly = try Self.temporary("encoder.safetensors").path
        try FileManager.default.copyItem(
            atPath: Self.root.appendingPathComponent("Tests/EmbeddingTests/Fixtures/tiny-bert/model.safetensors").path, toPath: encoderOnly)
        let wrong = try Self.run(["classify", encoderOnly], input: Data("x\n".utf8))
        #expect(wrong.status == 1 && wrong.stderr.contains("error:"))
    }

    @Test func adaptationIsDeterministicAndRefusedWithUpdate() throws {
        let support = try Self.twoLabelSupport("adapt.tsv")
        let first = try Self.temporary("a.fsc").path
        let second = try Self.temporary("b.fsc").path
        let frozen = try Self.temporary("frozen.fsc").path
        for path in [first, second] {
            let result = try Self.run([
                "train", "--model", Self.tinyModel, "--examples", support.path, "--finetune-steps", "5", "--finetune-choice", "always",
                "-o", path,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("kept the adapted encoder (5 steps of the head loss"), "\(result.stderr)")
            #expect(result.stderr.contains("held out in 2 folds, 4 examples"), "\(result.stderr)")
        }
        #expect(
            try Self.run(["train", "--model", Self.tinyModel, "--finetune-steps", "0", "--examples", support.path, "-o", frozen]).status
                == 0)
        let queries = Data("goal\nsong\n".utf8)
        let a = try Self.run(["classify", first, "--top", "2"], input: queries)
        let b = try Self.run(["classify", second, "--top", "2"], input: queries)
        let c = try Self.run(["classify", frozen, "--top", "2"], input: queries)
        #expect(a.lines.count == 2 && a.text == b.text)
        #expect(a.text != c.text, "adaptation changes the encoder")
        let refused = try Self.run(["train", "--update", first, support.path, "--finetune-steps", "3"])
        #expect(refused.status == 2)
        let base = ["train", "--model", Self.tinyModel, "--examples", support.path, "-o", try Self.temporary("bad.fsc").path]
        let refusals: [([String], String)] = [
            (["--finetune-steps", "3", "--finetune-loss", "triplet"], "--finetune-loss must be one of head, pairs"),
            (["--finetune-steps", "3", "--finetune-choice", "never"], "--finetune-choice must be one of auto, always"),
            (["--finetune-steps", "3", "--finetune-anchor", "-1"], "--finetune-anchor must be 0 or more"),
            (["--finetune-steps", "3", "--finetune-lr", "-0.1"], "--finetune-lr must be a learning rate"),
            (["--finetune-steps", "3", "--finetune-layers", "0"], "--finetune-layers must be a number of layers of 1 or more"),
            (["--finetune-steps", "3", "--finetune-layers", "top"], "--finetune-layers must be a number of layers of 1 or more"),
        ]
        for (extra, message) in refusals {
            let result = try Self.run(base + extra)
            #expect(result.status == 2 && result.stderr.contains(message), "\(extra): \(result.stderr)")
        }
    }

    /// `--finetune-layers 1` adapts the top layer alone: `train` says so, the classifier differs
    /// from one adapted in every layer, and a saved one classifies the same after reload as the
    /// same command run again.
    @Test func adaptingTheTopLayerIsReportedAndDiffersFromAdaptingEveryLayer() throws {
        let support = try Self.twoLabelSupport("top.tsv")
        let base = ["train", "--model", Self.tinyModel, "--examples", support.path, "--finetune-steps", "5", "--finetune-choice", "always"]
        var outputs: [String] = []
        for (name, layers) in [("top-a", "1"), ("top-b", "1"), ("every", "all")] {
            let path = try Self.temporary("\(name).fsc").path
            let result = try Self.run(base + ["--finetune-layers", layers, "-o", path])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("top 1 layer,") == (layers == "1"), "\(result.stderr)")
            outputs.append(try Self.run(["classify", path, "--top", "2"], input: Data("goal\nsong\n".utf8)).text)
        }
        #expect(outputs[0] == outputs[1] && outputs[0] != outputs[2])
    }

    @Test func theAutomaticChoiceKeepsThePlainEncoderWhenAdaptationDoesNotPayAndSaysWhy() throws {
        let support = try Self.twoLabelSupport("choice.tsv")
        let frozen = try Self.temporary("choice-frozen.fsc").path
        let auto = try Self.temporary("choice-auto.fsc").path
        #expect(try Self.run(["train", "--model", Self.tinyModel, "--examples", support.path, "-o", frozen]).status == 0)
        // A zero learning rate changes nothing, so the check finds a tie and keeps the encoder as it is.
        let result = try Self.run([
            "train", "--model", Self.tinyModel, "--examples", support.path, "--finetune-steps", "3", "--finetune-lr", "0", "-o", auto,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("kept the encoder as it is: adaptation did not classify 2 more held-out examples correctly"))
        let queries = Data("goal\nsong\n".utf8)
        #expect(
            try Self.run(["classify", auto, "--top", "2"], input: queries).text
                == Self.run(["classify", frozen, "--top", "2"], input: queries).text)
        // One example per label leaves nothing to check on.
        let single = try Self.temporary("single.tsv")
        try Data("sport\tfootball match goal\nmusic\tsong melody rhythm\n".utf8).write(to: single)
        let none = try Self.run([
            "train", "--model", Self.tinyModel, "--examples", single.path, "--finetune-steps", "3", "-o", try Self.temporary("s.fsc").path,
        ])
        #expect(none.status == 0 && none.stderr.contains("no label has two examples to check the adaptation on"), "\(none.stderr)")
    }

    /// Options that cannot mean what they say are refused with a reason: --model with --update
    /// (the classifier keeps its encoder), a threshold outside 0...1, and `--threshold auto` on a
    /// classifier of one label says why it has none.
    @Test func updateWithAModelAndThresholdsOutsideProbabilitiesAreRefused() throws {
        let support = try Self.twoLabelSupport("refusals.tsv")
        let classifier = try Self.temporary("refusals.fsc").path
        #expect(try Self.run(["train", "--model", Self.tinyModel, "--examples", support.path, "-o", classifier]).status == 0)
        let update = try Self.run(["train", "--update", classifier, support.path, "--model", "fast"])
        #expect(update.status == 2 && update.stderr.contains("--update keeps the classifier's own encoder"), "\(update.stderr)")
        for value in ["-1", "1.5", "nan"] {
            let result = try Self.run(["classify", classifier, "--threshold", value], input: Data("goal\n".utf8))
            #expect(result.status == 2 && result.stderr.contains("a probability from 0 to 1"), "\(value): \(result.stderr)")
        }
        // Refused lines keep every --top column: the unknown label takes the best one's place.
        let plain = try Self.run(["classify", classifier, "--top", "2"], input: Data("goal\n".utf8)).lines[0].split(separator: "\t")
        let refused = try Self.run(["classify", classifier, "--threshold", "1", "--top", "2"], input: Data("goal\n".utf8)).lines[0]
            .split(separator: "\t")
        #expect(refused.count == 4 && refused[0] == "unknown" && Array(refused[1...]) == Array(plain[1...]), "\(refused)")
        let single = try Self.temporary("single-label.tsv")
        try Data("sport\tfootball match goal\nsport\tthe team won the cup\n".utf8).write(to: single)
        let one = try Self.temporary("one.fsc").path
        let oneTrained = try Self.run(["train", "--model", Self.tinyModel, "--examples", single.path, "-o", one])
        #expect(oneTrained.status == 0 && oneTrained.stderr.contains("open-set threshold none (one label"), "\(oneTrained.stderr)")
        let auto = try Self.run(["classify", one, "--threshold", "auto"], input: Data("goal\n".utf8))
        #expect(auto.status == 1 && auto.stderr.contains("it has one label"), "\(auto.stderr)")
    }

    /// A count of one reads in the singular ("1 example", "1 label"), in train's summaries and
    /// --remove's report: a one-label classifier of one example is a real case.
    @Test func countsOfOneAreSingularInTrainMessages() throws {
        let support = try Self.temporary("one-example.tsv")
        try Data("sport\tfootball match goal\nsport\tthe team won the cup\n".utf8).write(to: support)
        let classifier = try Self.temporary("one-example.fsc").path
        let trained = try Self.run(["train", "--model", Self.tinyModel, "--examples", support.path, "-o", classifier])
        #expect(trained.status == 0 && trained.stderr.contains("2 examples embedded") && trained.stderr.contains("(0 lines skipped)"))
        #expect(trained.stderr.contains("1 label: sport 2; 2 examples stored with texts"), "\(trained.stderr)")
        let forget = try Self.temporary("forget-one.tsv")
        try Data("sport\tthe team won the cup\n".utf8).write(to: forget)
        let removed = try Self.run(["train", "--update", classifier, "--remove", forget.path])
        #expect(removed.status == 0 && removed.stderr.contains("forgot 1 stored example (1 line matched)"), "\(removed.stderr)")
        #expect(removed.stderr.contains("1 label: sport 1; 1 example stored with texts"), "\(removed.stderr)")
    }

    /// A learning rate that drives the weights to NaN: `always` is an error that names the rate
    /// and writes nothing; `auto` sees the NaN scores as wrong and keeps the plain encoder.
    @Test func aDivergingAdaptationIsAnErrorOrIsNotKept() throws {
        let support = try Self.twoLabelSupport("diverge.tsv")
        let output = try Self.temporary("diverge.fsc").path
        let base = ["train", "--model", Self.tinyModel, "--examples", support.path, "--finetune-steps", "3", "--finetune-lr", "1e10"]
        let always = try Self.run(base + ["--finetune-choice", "always", "-o", output])
        #expect(always.status == 1 && always.stderr.contains("--finetune-lr 1e+10 diverged"), "\(always.stderr)")
        #expect(!FileManager.default.fileExists(atPath: output))
        let auto = try Self.run(base + ["-o", output])
        #expect(auto.status == 0 && auto.stderr.contains("kept the encoder as it is"), "\(auto.stderr)")
        #expect(try Self.run(["classify", output], input: Data("goal\n".utf8)).lines.count == 1)
    }
}
