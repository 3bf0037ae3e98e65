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
        // The shipped default has background topics: the threshold is on the best score less its closeness to them.
        #expect(trained.stderr.contains("open-set threshold -0.") || trained.stderr.contains("open-set threshold 0."), "\(trained.stderr)")
        #expect(trained.stderr.contains("× the closeness to 1157 background topics"), "\(trained.stderr)")
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

    /// mine.tsv: six labels of twelve lines, each label's lines sharing four words.
    static func sixTopics(in folder: URL) throws -> URL {
        var tsv = ""
        for (label, words) in [
            ("sport", "ball game team goal"), ("law", "court judge trial appeal"), ("music", "song melody rhythm band"),
            ("food", "cook meal dish taste"), ("sky", "cloud rain storm wind"), ("sea", "ship boat wave sail"),
        ] {
            for example in 0..<12 { tsv += "\(label)\t\(words) example \(example)\n" }
        }
        let corpus = folder.appendingPathComponent("mine.tsv")
        try Data(tsv.utf8).write(to: corpus)
        return corpus
    }

    @Test func evalReportsOpenSetAUROC() throws {
        let folder = try WriteSafetyTests.folder()
        let corpus = try Self.sixTopics(in: folder)
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

/// Background topics through the binary: `convert --background` stores them, `train` says the
/// threshold is fitted with them, `classify --threshold auto` uses them, `eval --open-set
/// --background-weight` weighs them, and bad settings are refused before any work.
@Suite struct OpenSetBackgroundCLITests {
    /// An index whose six labels are train topics (for the background) and test topics (for eval).
    static func index(in folder: URL) throws -> String {
        let corpus = try OpenSetTests.sixTopics(in: folder)
        let split = folder.appendingPathComponent("mine.split")
        try Data("sport\ttrain\nlaw\ttrain\nmusic\ttrain\nfood\ttest\nsky\ttest\nsea\ttest\n".utf8).write(to: split)
        let index = folder.appendingPathComponent("mine.fsi").path
        let made = try CLITests.run(["index", corpus.path, "--default-split", "test", "-o", index])
        #expect(made.status == 0, "\(made.stderr)")
        return index
    }

    @Test func convertStoresTheBackgroundAndTrainAndClassifyUseIt() throws {
        let folder = try WriteSafetyTests.folder()
        let index = try Self.index(in: folder)
        let model = folder.appendingPathComponent("background.safetensors").path
        let converted = try CLITests.run([
            "convert", CLITests.tinyModel, "--dtype", "f32", "--background", index, "--background-weight", "0.5",
            "--background-examples", "4", "-o", model,
        ])
        #expect(converted.status == 0 && converted.stderr.contains("3 background topics, weight 0.5"), "\(converted.stderr)")
        // Re-stored with every layer and its input length, the topics stay; with fewer, they go, and convert says so.
        for (extra, kept) in [
            (["--max-positions", "64"], true), (["--layers", "0,1"], true), (["--max-positions", "16"], false), (["--layers", "1"], false),
        ] {
            let copy = try CLITests.run(["convert", model] + extra + ["-o", folder.appendingPathComponent("copy.safetensors").path])
            #expect(copy.status == 0 && copy.stderr.contains("3 background topics, weight 0.5") == kept, "\(extra): \(copy.stderr)")
            #expect(copy.stderr.contains("the 3 background topics are dropped") == !kept, "\(extra): \(copy.stderr)")
        }
        // Shortened and stored again in one command: the topics are the new model's, and no drop is announced.
        let restored = try CLITests.run([
            "convert", model, "--max-positions", "16", "--background", index, "--background-weight", "0.5", "-o",
            folder.appendingPathComponent("restored.safetensors").path,
        ])
        #expect(restored.status == 0 && restored.stderr.contains("3 background topics, weight 0.5"), "\(restored.stderr)")
        #expect(!restored.stderr.contains("dropped"), "\(restored.stderr)")
        let examples = folder.appendingPathComponent("examples.tsv")
        try Data((OpenSetTests.examples + "\n").utf8).write(to: examples)
        let classifier = folder.appendingPathComponent("topics.fsc").path
        let trained = try CLITests.run(["train", "--model", model, "--examples", examples.path, "-o", classifier])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("less 0.50 × the closeness to 3 background topics"), "\(trained.stderr)")
        let lines = "the team won the football match with a late goal\n\nzzz\n"
        let result = try CLITests.run(["classify", classifier, "--threshold", "auto", "--unknown", "none"], input: Data(lines.utf8))
        #expect(result.status == 0 && result.lines.count == 3, "\(result.stderr)")
        #expect(result.lines[0].hasPrefix("sport\t") && result.lines[1].isEmpty)
        // The same classifier without the background fits another threshold.
        let plain = folder.appendingPathComponent("plain.fsc").path
        let plainTrained = try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", examples.path, "-o", plain])
        #expect(plainTrained.status == 0 && !plainTrained.stderr.contains("background"), "\(plainTrained.stderr)")
        func threshold(_ text: String) -> String? {
            text.components(separatedBy: "open-set threshold ").last?.components(separatedBy: " ").first
        }
        #expect(threshold(trained.stderr) != threshold(plainTrained.stderr))
        // An adapted encoder no longer matches the topics' embeddings: train says it drops them,
        // and the threshold it fits is on the best score alone.
        let adapted = try CLITests.run([
            "train", "--model", model, "--examples", examples.path, "--finetune-steps", "2", "--finetune-choice", "always", "-o",
            folder.appendingPathComponent("adapted.fsc").path,
        ])
        #expect(adapted.status == 0, "\(adapted.stderr)")
        #expect(adapted.stderr.contains("the adapted encoder drops the model's 3 background topics"), "\(adapted.stderr)")
        #expect(!adapted.stderr.contains("closeness to 3 background topics"), "\(adapted.stderr)")
        #expect(!plainTrained.stderr.contains("drops"))
    }

    @Test func evalWeighsTheBackgroundAndBadSettingsAreRefused() throws {
        let folder = try WriteSafetyTests.folder()
        let index = try Self.index(in: folder)
        let model = folder.appendingPathComponent("background.safetensors").path
        #expect(try CLITests.run(["convert", CLITests.tinyModel, "--dtype", "f32", "--background", index, "-o", model]).status == 0)
        func auroc(_ weight: String) throws -> String {
            let eval = try CLITests.run([
                "eval", "--model", model, "--index", index, "--ways", "2", "--open-set", "1", "--shots", "3", "--queries", "5",
                "--episodes", "20", "--background-weight", weight,
            ])
            #expect(eval.status == 0, "\(eval.stderr)")
            return eval.lines.last { $0.hasPrefix("| any | 3 |") } ?? ""
        }
        let (none, weighed) = (try auroc("0"), try auroc("2"))
        #expect(!none.isEmpty && !weighed.isEmpty && none != weighed, "\(none) / \(weighed)")
        let refusals: [([String], Int32, String)] = [
            (["eval", "--model", model, "--index", index, "--background-weight", "1"], 2, "--background-weight weighs the open-set score"),
            (["eval", "--model", model, "--index", index, "--open-set", "1", "--background-weight", "-1"], 2, "0 or more"),
            (
                [
                    "eval", "--model", CLITests.tinyModel, "--index", index, "--ways", "2", "--open-set", "1", "--shots", "3", "--queries",
                    "5",
                    "--background-weight", "1",
                ], 1,
                "has no background topics"
            ),
            (["convert", CLITests.tinyModel, "--background-weight", "1", "-o", "\(folder.path)/x.safetensors"], 2, "go with --background"),
            (
                ["convert", CLITests.tinyModel, "--background", index, "--background-weight", "-2", "-o", "\(folder.path)/x.safetensors"],
                2, "0 or more"
            ),
        ]
        for (arguments, status, message) in refusals {
            let result = try CLITests.run(arguments)
            #expect(result.status == status && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        // An index with no train topics has no background to give.
        let other = folder.appendingPathComponent("other.tsv")
        try FileManager.default.copyItem(at: folder.appendingPathComponent("mine.tsv"), to: other)
        let testOnly = folder.appendingPathComponent("test-only.fsi").path
        #expect(try CLITests.run(["index", other.path, "--default-split", "test", "-o", testOnly]).status == 0)
        let empty = try CLITests.run(["convert", CLITests.tinyModel, "--background", testOnly, "-o", "\(folder.path)/x.safetensors"])
        #expect(empty.status == 1 && empty.stderr.contains("has no train topics"), "\(empty.stderr)")
    }
}
