import Foundation
import Testing

/// A memory that can forget, through the real binary: `train --update --remove`, `--keep-last`,
/// `--no-texts`, `--rebuild`, merging files that keep examples, and version-1 files.
@Suite struct MemoryCLITests {
    static let fixtures = CLITests.root.appendingPathComponent("Tests/FewShotCLITests/Fixtures").path
    static let queries = "the team scored\nthe band played a song\n\nguitars and goals\nbake the bread\n"

    static func classify(_ classifier: String) throws -> String {
        let result = try CLITests.run(["classify", classifier, "--top", "3"], input: Data(queries.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        return result.text
    }

    static func train(_ arguments: [String]) throws -> CLITests.Result {
        let result = try CLITests.run(["train", "--model", CLITests.tinyModel] + arguments)
        #expect(result.status == 0, "\(result.stderr)")
        return result
    }

    @Test func removeAndKeepLastGiveTheClassifierOfTheRemainingExamples() throws {
        let folder = try WriteSafetyTests.folder()
        let all = try MultiLabelCLITests.write(
            "sport\tthe team won the match\nmusic\tthe band played a song\nsport\ta goal in the last minute\n"
                + "music\ta concert with guitars\ncooking\tbake the bread\nsport\tthe runner finished first\n"
                + "cooking\tstir the sauce slowly\nmusic\tthe choir sang all night\n", "all.tsv", in: folder)
        let full = "\(folder.path)/full.fsc"
        #expect(try Self.train(["--examples", all, "-o", full]).stderr.contains("8 examples stored with texts"))
        // Forget one sport line; a line that names no stored example is reported, not fatal.
        let remove = try MultiLabelCLITests.write("sport\tthe team won the match\nmusic\tnot a stored line\n", "remove.tsv", in: folder)
        let removed = try CLITests.run(["train", "--update", full, "--remove", remove, "-o", "\(folder.path)/removed.fsc"])
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(removed.stderr.contains("remove.tsv:2: no such example"), "\(removed.stderr)")
        #expect(removed.stderr.contains("forgot 1 stored example ("))
        let without = try MultiLabelCLITests.write(
            "music\tthe band played a song\nsport\ta goal in the last minute\nmusic\ta concert with guitars\n"
                + "cooking\tbake the bread\nsport\tthe runner finished first\ncooking\tstir the sauce slowly\n"
                + "music\tthe choir sang all night\n", "without.tsv", in: folder)
        _ = try Self.train(["--examples", without, "-o", "\(folder.path)/without.fsc"])
        #expect(try Self.classify("\(folder.path)/removed.fsc") == (try Self.classify("\(folder.path)/without.fsc")))
        // Each label capped at its last example equals training on those three lines.
        let capped = try CLITests.run(["train", "--update", full, "--keep-last", "1", "-o", "\(folder.path)/capped.fsc"])
        #expect(capped.status == 0 && capped.stderr.contains("dropped 5 older examples"), "\(capped.stderr)")
        let last = try MultiLabelCLITests.write(
            "sport\tthe runner finished first\ncooking\tstir the sauce slowly\nmusic\tthe choir sang all night\n", "last.tsv", in: folder)
        _ = try Self.train(["--examples", last, "-o", "\(folder.path)/last.fsc"])
        let cappedOutput = try Self.classify("\(folder.path)/capped.fsc")
        let lastOutput = try Self.classify("\(folder.path)/last.fsc")
        // Label order differs (the capped file keeps its order); the ranked labels and probabilities agree.
        let sorted = { (text: String) in text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.split(separator: "\t") } }
        #expect(sorted(cappedOutput).map { $0.first } == sorted(lastOutput).map { $0.first })
        #expect(cappedOutput == lastOutput)
        // Everything removed: refused, nothing written.
        let everything = try CLITests.run(["train", "--update", full, "--remove", all, "-o", "\(folder.path)/empty.fsc"])
        #expect(everything.status == 1 && everything.stderr.contains("no examples would be left"), "\(everything.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/empty.fsc"))
    }

    @Test func noTextsStillForgetsButCannotRebuild() throws {
        let folder = try WriteSafetyTests.folder()
        let examples = try MultiLabelCLITests.write(
            "sport\tthe team won the match\nmusic\tthe band played a song\nsport\ta late goal\nmusic\ta concert\n", "ex.tsv", in: folder)
        let private_ = "\(folder.path)/private.fsc"
        let trained = try Self.train(["--no-texts", "--examples", examples, "-o", private_])
        #expect(trained.stderr.contains("4 examples stored without texts"), "\(trained.stderr)")
        // The texts are not in the file.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: private_))
        #expect(bytes.range(of: Data("the band played a song".utf8)) == nil)
        let remove = try MultiLabelCLITests.write("music\ta concert\n", "rm.tsv", in: folder)
        let removed = try CLITests.run(["train", "--update", private_, "--remove", remove])
        #expect(removed.status == 0 && removed.stderr.contains("forgot 1 stored example ("), "\(removed.stderr)")
        let rebuild = try CLITests.run(["train", "--rebuild", private_, "--model", CLITests.tinyModel, "-o", "\(folder.path)/r.fsc"])
        #expect(rebuild.status == 1 && rebuild.stderr.contains("without their texts"), "\(rebuild.stderr)")
        // A file with texts rebuilds; with the same encoder it classifies the same.
        let kept = "\(folder.path)/kept.fsc"
        _ = try Self.train(["--examples", examples, "-o", kept])
        let rebuilt = try CLITests.run(["train", "--rebuild", kept, "--model", CLITests.tinyModel, "-o", "\(folder.path)/same.fsc"])
        #expect(rebuilt.status == 0 && rebuilt.stderr.contains("4 stored examples embedded again"), "\(rebuilt.stderr)")
        #expect(try Self.classify("\(folder.path)/same.fsc") == (try Self.classify(kept)))
        // --update --no-texts drops the texts already stored.
        let dropped = try CLITests.run(["train", "--update", kept, "--no-texts"])
        #expect(dropped.status == 0 && dropped.stderr.contains("stored without texts"), "\(dropped.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: kept)).range(of: Data("the band played a song".utf8)) == nil)
    }

    @Test func aFixedTemperatureSurvivesUpdatesAndForgetting() throws {
        let folder = try WriteSafetyTests.folder()
        let examples = try MultiLabelCLITests.write(
            "sport\tthe team won\nsport\ta late goal\nmusic\tthe band played\nmusic\ta concert\n", "ex.tsv", in: folder)
        let more = try MultiLabelCLITests.write("sport\tthe runner won\nmusic\tthe choir sang\n", "more.tsv", in: folder)
        let fixed = "\(folder.path)/fixed.fsc"
        _ = try Self.train(["--temperature", "7", "--examples", examples, "-o", fixed])
        #expect(try CLITests.run(["train", "--update", fixed, more]).status == 0)
        #expect(try CLITests.run(["train", "--update", fixed, "--remove", more]).status == 0)
        #expect(try CLITests.run(["test", fixed, examples, "--format", "json"]).text.contains("\"temperature\":7.0"))
        // --temperature fit releases it.
        #expect(try CLITests.run(["train", "--update", fixed, more, "--temperature", "fit"]).status == 0)
        #expect(!(try CLITests.run(["test", fixed, examples, "--format", "json"]).text.contains("\"temperature\":7.0")))
    }

    @Test func misuseIsRefusedWithAReason() throws {
        let folder = try WriteSafetyTests.folder()
        let examples = try MultiLabelCLITests.write("sport\tgoal\nmusic\tsong\n", "ex.tsv", in: folder)
        let cases: [([String], String)] = [
            (["train", "--examples", examples, "--remove", examples, "-o", "\(folder.path)/a.fsc"], "use it with --update"),
            (["train", "--examples", examples, "--keep-last", "2", "-o", "\(folder.path)/a.fsc"], "use it with --update"),
            (["train", "--rebuild", "\(Self.fixtures)/version1.fsc", "-o", "\(folder.path)/a.fsc"], "--rebuild needs --model"),
            (["train", "--rebuild", "\(Self.fixtures)/version1.fsc", "--model", CLITests.tinyModel, "--examples", examples], "--examples"),
            (["train", "--update", "\(Self.fixtures)/version1.fsc", "--keep-last", "0"], "keep-last"),
        ]
        for (arguments, message) in cases {
            let result = try CLITests.run(arguments)
            #expect(result.status == 2 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func olderFilesStillClassifyAsTheyDid() throws {
        let queries = try String(contentsOfFile: "\(Self.fixtures)/version1.queries.txt", encoding: .utf8)
        let names = ["version1", "version1-multilabel", "version2", "version2-notexts", "version2-merged", "version2-multilabel"]
        for name in names {
            let result = try CLITests.run(["classify", "\(Self.fixtures)/\(name).fsc", "--format", "json"], input: Data(queries.utf8))
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.text == (try String(contentsOfFile: "\(Self.fixtures)/\(name).expected.json", encoding: .utf8)), "\(name)")
        }
    }

    @Test func versionOneFilesSayWhyTheyCannotChange() throws {
        let folder = try WriteSafetyTests.folder()
        let copy = "\(folder.path)/v1.fsc"
        try FileManager.default.copyItem(atPath: "\(Self.fixtures)/version1.fsc", toPath: copy)
        let more = try MultiLabelCLITests.write("sport\tthe team scored twice\n", "more.tsv", in: folder)
        let kept = "\(folder.path)/kept.fsc"
        _ = try Self.train(["--examples", "\(Self.fixtures)/version1.examples.tsv", "-o", kept])
        let attempts = [
            ["train", "--update", copy, "--keep-last", "1"], ["train", "--update", copy, more],
            ["train", "--update", copy, "--no-texts"], ["merge", kept, copy, "-o", "\(folder.path)/m.fsc"],
        ]
        for arguments in attempts {
            let result = try CLITests.run(arguments)
            #expect(result.status == 1 && result.stderr.contains("keeps no examples"), "\(arguments): \(result.stderr)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: copy)) == Data(contentsOf: URL(fileURLWithPath: "\(Self.fixtures)/version1.fsc")))
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/m.fsc"))
    }

    @Test func aVersionTwoFileUpdatedBecomesVersionThreeWithEveryExample() throws {
        let folder = try WriteSafetyTests.folder()
        let copy = "\(folder.path)/v2.fsc"
        try FileManager.default.copyItem(atPath: "\(Self.fixtures)/version2.fsc", toPath: copy)
        let more = try MultiLabelCLITests.write("sport\tthe team scored twice\n", "more.tsv", in: folder)
        let updated = try CLITests.run(["train", "--update", copy, more])
        #expect(
            updated.status == 0 && updated.stderr.contains("sport 4, music 3, weather 2; 9 examples stored with texts"), "\(updated.stderr)"
        )
        let header = try String(decoding: Data(contentsOf: URL(fileURLWithPath: copy)).prefix(100_000), as: UTF8.self)
        #expect(header.contains("\"fewshot.extra.classifier.version\":\"4\""))
        // The same examples trained afresh give the same classifier.
        let fresh = "\(folder.path)/fresh.fsc"
        let all = try MultiLabelCLITests.write(
            try String(contentsOfFile: "\(Self.fixtures)/version1.examples.tsv", encoding: .utf8)
                + String(contentsOfFile: "\(Self.fixtures)/version2.more.tsv", encoding: .utf8) + "sport\tthe team scored twice\n",
            "all.tsv", in: folder)
        _ = try Self.train(["--examples", all, "-o", fresh])
        let queries = Data(try String(contentsOfFile: "\(Self.fixtures)/version1.queries.txt", encoding: .utf8).utf8)
        let a = try CLITests.run(["classify", copy, "--format", "json"], input: queries)
        let b = try CLITests.run(["classify", fresh, "--format", "json"], input: queries)
        #expect(a.status == 0 && a.text == b.text, "\(a.text) vs \(b.text)")
    }
}
