import Foundation
import Testing

/// "None of these": `train` fits an open-set threshold on the examples, `classify --threshold
/// auto` applies it, `merge` keeps it, and `eval --open-set` measures it on open-set episodes.
@Suite struct OpenSetTests {
    static let examples = """
        sport\tthe team won the football match with a late goal
        sport\tthe tennis player served an ace in the final set
        sport\tthe runner finished the marathon in record time
        cooking\tbake the bread in a hot oven for forty minutes
        cooking\tstir the sauce and season it with salt and pepper
        cooking\tslice the onions and fry them in butter
        """

    @Test func classifyWithTheFittedThreshold() throws {
        let folder = try WriteSafetyTests.folder()
        let examples = folder.appendingPathComponent("examples.tsv")
        try Data((Self.examples + "\n").utf8).write(to: examples)
        let classifier = folder.appendingPathComponent("topics.fsc").path
        let trained = try CLITests.run(["train", "--examples", examples.path, "-o", classifier])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("open-set threshold 0."), "\(trained.stderr)")
        let lines = "the team won the football match with a late goal\nbake the bread in a hot oven for forty minutes\n\nzzz\n"
        let result = try CLITests.run(["classify", classifier, "--threshold", "auto", "--unknown", "none"], input: Data(lines.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let labels = result.lines.map { $0.split(separator: "\t").first.map(String.init) ?? "" }
        #expect(labels.count == 4)
        // A line that is one of the examples is its label's; every line gets a label, "none" or nothing (no text).
        #expect(labels[0] == "sport" && labels[1] == "cooking" && labels[2] == "")
        #expect(["sport", "cooking", "none"].contains(labels[3]))
        let merged = folder.appendingPathComponent("merged.fsc").path
        #expect(try CLITests.run(["merge", classifier, classifier, "-o", merged]).status == 0)
        #expect(try CLITests.run(["classify", merged, "--threshold", "auto"], input: Data(lines.utf8)).status == 0)
    }

    @Test func autoNeedsAFittedThresholdAndOtherValuesAreRefused() throws {
        let folder = try WriteSafetyTests.folder()
        let single = folder.appendingPathComponent("single.tsv")
        try Data("sport\tfootball\ncooking\tbread\n".utf8).write(to: single)
        let classifier = folder.appendingPathComponent("single.fsc").path
        let trained = try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", single.path, "-o", classifier])
        #expect(trained.stderr.contains("open-set threshold none"))
        let auto = try CLITests.run(["classify", classifier, "--threshold", "auto"], input: Data("a line\n".utf8))
        #expect(auto.status == 1)
        #expect(auto.stderr.contains("no fitted open-set threshold"), "\(auto.stderr)")
        let bad = try CLITests.run(["classify", classifier, "--threshold", "high"], input: Data("a line\n".utf8))
        #expect(bad.status == 2)
    }

    @Test func evalReportsOpenSetAUROC() throws {
        let folder = try WriteSafetyTests.folder()
        var tsv = ""
        for (label, words) in [
            ("sport", "ball game team goal"), ("law", "court judge trial appeal"), ("music", "song melody rhythm band"),
            ("food", "cook meal dish taste"), ("sky", "cloud rain storm wind"), ("sea", "ship boat wave sail"),
        ] {
            for example in 0..<12 { tsv += "\(label)\t\(words) example \(example)\n" }
        }
        let corpus = folder.appendingPathComponent("mine.tsv")
        try Data(tsv.utf8).write(to: corpus)
        let index = folder.appendingPathComponent("mine.fsi").path
        #expect(try CLITests.run(["index", corpus.path, "--default-split", "test", "-o", index]).status == 0)
        let eval = try CLITests.run([
            "eval", "--model", CLITests.tinyModel, "--index", index, "--ways", "3", "--open-set", "3", "--shots", "1,5",
            "--queries", "5", "--episodes", "10",
        ])
        #expect(eval.status == 0, "\(eval.stderr)")
        #expect(eval.text.contains("open-set AUROC"))
        #expect(eval.text.contains("| any | 5 |") && eval.text.contains("one example per class: no threshold"))
        let tooMany = try CLITests.run([
            "eval", "--model", CLITests.tinyModel, "--index", index, "--ways", "3", "--open-set", "4", "--episodes", "5", "--queries", "5",
        ])
        #expect(tooMany.text.contains("fewer than 7 labels"), "\(tooMany.text)")
        #expect(try CLITests.run(["eval", "--model", "tfidf", "--index", index, "--open-set", "2"]).status == 2)
    }
}
