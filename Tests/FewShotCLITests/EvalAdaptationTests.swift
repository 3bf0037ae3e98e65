import Foundation
import Testing

/// `eval --finetune-steps` through the binary: the same numbers twice, and clear refusals.
@Suite struct EvalAdaptationTests {
    /// An index of three topics of 12 lines each, all under `split`.
    static func index(split: String = "test") throws -> String {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("eval-adapt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var tsv = ""
        let topics = ["sport": "ball game team goal", "law": "court judge trial appeal", "music": "song melody rhythm band"]
        for (label, words) in topics.sorted(by: { $0.key < $1.key }) {
            for example in 0..<12 { tsv += "\(label)\t\(words) example \(example)\n" }
        }
        let corpus = directory.appendingPathComponent("mine.tsv").path
        try Data(tsv.utf8).write(to: URL(fileURLWithPath: corpus))
        let index = directory.appendingPathComponent("mine.fsi").path
        let built = try CLITests.run(["index", corpus, "--default-split", split, "-o", index])
        #expect(built.status == 0, "\(built.stderr)")
        return index
    }

    @Test func adaptedEvaluationIsDeterministicAndReportsItsSetting() throws {
        let index = try Self.index()
        let arguments = [
            "eval", "--model", CLITests.tinyModel, "--index", index, "--ways", "3", "--shots", "2", "--queries", "3", "--episodes", "6",
            "--finetune-steps", "3", "--finetune-lr", "0.01",
        ]
        let first = try CLITests.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("adapting the encoder on each episode's support set, 3 steps of the head loss"))
        #expect(first.stderr.contains("the check on the support set kept the adapted encoder in"), "\(first.stderr)")
        #expect(first.stderr.contains(" of 6 episodes"), "\(first.stderr)")
        let row = first.lines.first { $0.hasPrefix("| any | 2 |") }
        #expect(row != nil, "\(first.text)")
        let second = try CLITests.run(arguments)
        // The same accuracy, interval and std (the seconds column may differ).
        func cells(_ line: String?) -> [Substring] { Array((line ?? "").split(separator: "|").prefix(5)) }
        #expect(cells(second.lines.first { $0.hasPrefix("| any | 2 |") }) == cells(row))
    }

    @Test func recordedEpisodesCarryTheCheckAndBothEncodersAccuracy() throws {
        let index = try Self.index()
        let record = FileManager.default.temporaryDirectory.appendingPathComponent("records-\(UUID().uuidString).jsonl").path
        let result = try CLITests.run([
            "eval", "--model", CLITests.tinyModel, "--index", index, "--ways", "3", "--shots", "2", "--queries", "3", "--episodes", "5",
            "--finetune-steps", "3", "--finetune-lr", "0.01", "--finetune-record", record,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 5)
        for line in lines {
            let fields = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            // 3 labels x 2 shots: 2 folds hold out all 6 support examples.
            #expect(fields?["checked"] as? Int == 6 && fields?["family"] as? String == "mine", "\(line)")
            let accuracies = [fields?["plainAccuracy"], fields?["adaptedAccuracy"]].compactMap { $0 as? Double }
            #expect(accuracies.count == 2 && accuracies.allSatisfy { (0...1).contains($0) }, "\(line)")
        }
        let refused = try CLITests.run([
            "eval", "--model", CLITests.tinyModel, "--index", index, "--ways", "3", "--shots", "2", "--finetune-record", record,
        ])
        #expect(refused.status == 2 && refused.stderr.contains("--finetune-record records the episodes of --finetune-steps"))
    }

    @Test func adaptationSettingsThatCannotWorkAreUsageErrors() throws {
        let index = try Self.index()
        let base = ["eval", "--index", index, "--ways", "3", "--shots", "2", "--queries", "3", "--episodes", "2"]
        let refusals: [([String], String)] = [
            (["--model", "tfidf", "--finetune-steps", "3"], "adapts an encoder"),
            (["--model", CLITests.tinyModel, "--finetune-steps", "-1"], "--finetune-steps"),
            (["--model", CLITests.tinyModel, "--finetune-steps", "3", "--finetune-lr", "-0.1"], "--finetune-lr"),
            (["--model", CLITests.tinyModel, "--finetune-steps", "3", "--finetune-loss", "x"], "--finetune-loss must be one of"),
            (["--model", CLITests.tinyModel, "--finetune-steps", "3", "--finetune-choice", "x"], "--finetune-choice must be one of"),
            (["--model", CLITests.tinyModel, "--finetune-steps", "3", "--lexical", "0,1"], "one fixed --lexical weight"),
            (["--model", CLITests.tinyModel, "--finetune-steps", "3", "--lexical", "fit"], "one fixed --lexical weight"),
            (["--model", CLITests.tinyModel, "--finetune-steps", "3", "--zero-shot"], "measures accuracy, calibration and open-set"),
        ]
        for (extra, message) in refusals {
            let result = try CLITests.run(base + extra)
            #expect(result.status == 2, "\(extra): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(extra): \(result.stderr)")
        }
    }

    /// `--open-set` beside `--finetune-steps` scores the episodes as an adapted classifier would.
    /// With a zero learning rate the adapted encoder is the plain one, and the model has no
    /// background topics, so the AUROC is the plain table's; a real update kept in every episode
    /// changes it. The same command prints the same table twice.
    @Test func adaptedOpenSetEpisodesScoreAsAnAdaptedClassifierWould() throws {
        let index = try Self.index()
        let base = [
            "eval", "--model", CLITests.tinyModel, "--index", index, "--ways", "2", "--shots", "2", "--queries", "3", "--episodes", "6",
            "--open-set", "1",
        ]
        func aurocRow(_ extra: [String]) throws -> [Substring] {
            let result = try CLITests.run(base + extra)
            #expect(result.status == 0, "\(extra): \(result.stderr)")
            guard let header = result.lines.firstIndex(where: { $0.contains("| open-set AUROC % |") }) else {
                Issue.record("no open-set table: \(result.text)")
                return []
            }
            return Array((result.lines[(header + 1)...].first { $0.hasPrefix("| any |") } ?? "").split(separator: "|").prefix(4))
        }
        let plain = try aurocRow([])
        let unchanged = try aurocRow(["--finetune-steps", "3", "--finetune-lr", "0", "--finetune-choice", "always"])
        let adapted = try aurocRow(["--finetune-steps", "5", "--finetune-lr", "0.05", "--finetune-choice", "always"])
        #expect(plain.count == 4 && unchanged == plain, "\(plain) \(unchanged)")
        #expect(adapted.count == 4 && adapted != plain, "\(adapted)")
        #expect(try aurocRow(["--finetune-steps", "5", "--finetune-lr", "0.05", "--finetune-choice", "always"]) == adapted)
    }

    /// The rows of the calibration table eval printed.
    static func calibrationRows(_ result: CLITests.Result) -> [String] {
        guard let header = result.lines.firstIndex(where: { $0.contains("| ECE, T = 20 |") }) else { return [] }
        return result.lines[(header + 1)...].filter { $0.hasPrefix("| any |") }
    }

    /// `--calibration` beside `--finetune-steps` fits as `train` fits an adapted classifier. With
    /// a zero learning rate the update changes nothing, the check keeps the encoder as it is in
    /// every episode, and the table is the plain one's; with a real update kept in every episode
    /// the fit reads the check's held-out scores instead, and the table says so by differing.
    @Test func adaptedCalibrationFitsAsTrainFitsAnAdaptedClassifier() throws {
        let index = try Self.index()
        let base = [
            "eval", "--model", CLITests.tinyModel, "--index", index, "--ways", "3", "--shots", "4", "--queries", "3", "--episodes", "4",
            "--calibration",
        ]
        let plain = try CLITests.run(base)
        #expect(plain.status == 0, "\(plain.stderr)")
        let unchanged = try CLITests.run(base + ["--finetune-steps", "2", "--finetune-lr", "0"])
        #expect(unchanged.status == 0, "\(unchanged.stderr)")
        #expect(unchanged.stderr.contains("kept the adapted encoder in 0 of 4 episodes"), "\(unchanged.stderr)")
        #expect(Self.calibrationRows(plain).count == 1)
        #expect(Self.calibrationRows(unchanged) == Self.calibrationRows(plain), "\(unchanged.text)")
        let adapted = try CLITests.run(base + ["--finetune-steps", "3", "--finetune-lr", "0.01", "--finetune-choice", "always"])
        #expect(adapted.status == 0, "\(adapted.stderr)")
        #expect(Self.calibrationRows(adapted).count == 1)
        #expect(Self.calibrationRows(adapted) != Self.calibrationRows(plain), "\(adapted.text)")
    }
}
