import Foundation
import Testing

/// `fewshot classify --explain N` through the binary: the runner-up and the stored examples
/// nearest to each line, as tsv columns and json fields, by position in a --no-texts file, and
/// its refusals.
@Suite struct ExplainCLITests {
    static let examples = """
        planets\tthe planet orbits a distant star in a cold galaxy
        planets\ta comet crossed the orbit of the outer planets
        planets\tastronomers measured the light of the young star
        cooking\tstir the onions in butter until they turn golden
        cooking\tbake the bread in a hot oven for forty minutes
        cooking\tthe soup needs more salt and a little pepper

        """

    static func trained(_ extra: [String] = [], model: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent("ex.tsv").path
        try Data(examples.utf8).write(to: URL(fileURLWithPath: path))
        let output = folder.appendingPathComponent("c\(extra.joined()).fsc").path
        let result = try CLITests.run(["train", "--model", model, "--examples", path, "-o", output] + extra)
        #expect(result.status == 0, "\(result.stderr)")
        return output
    }

    /// A line identical to a stored example finds that example first, under its label; the
    /// prediction columns are those of plain classify; the runner-up is the other label; a label
    /// with fewer examples than N leaves empty columns; a line with no text stays an empty line.
    @Test func explainShowsTheRunnerUpAndTheNearestExamplesAsColumns() throws {
        let folder = try WriteSafetyTests.folder()
        let model = try HybridCLITests.lexiconModel(in: folder)
        let classifier = try Self.trained(model: model, in: folder)
        let input = Data("bake the bread in a hot oven for forty minutes\n\nthe planet orbits a distant star in a cold galaxy\n".utf8)
        let plain = try CLITests.run(["classify", classifier], input: input)
        let explained = try CLITests.run(["classify", classifier, "--explain", "4"], input: input)
        #expect(explained.status == 0, "\(explained.stderr)")
        #expect(explained.lines.count == 3)
        let rows = explained.lines.map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows[0].count == 8 && rows[2].count == 8, "\(rows)")
        #expect(rows[1] == [""])
        for (row, plainLine) in zip([rows[0], rows[2]], [plain.lines[0], plain.lines[2]]) {
            #expect(row[0..<2].joined(separator: "\t") == plainLine)
        }
        #expect(rows[0][0] == "cooking" && rows[0][2] == "planets")
        #expect(rows[0][4] == "bake the bread in a hot oven for forty minutes")
        #expect(
            Set(rows[0][5...6]) == ["stir the onions in butter until they turn golden", "the soup needs more salt and a little pepper"])
        #expect(rows[0][7] == "", "a label of 3 examples leaves the 4th column empty")
        #expect(rows[2][0] == "planets" && rows[2][4] == "the planet orbits a distant star in a cold galaxy")
        // The runner-up's probability is the second one --top 2 prints.
        let top2 = try CLITests.run(["classify", classifier, "--top", "2"], input: input).lines[0].split(separator: "\t")
        #expect(rows[0][2] == String(top2[2]) && rows[0][3] == String(top2[3]))
    }

    /// In json the fields carry the example's position (1-based, in the order added), its score
    /// (highest first) and its text; with --no-texts the position alone, and stderr says so.
    @Test func explainInJSONAndByPositionWithoutTexts() throws {
        let folder = try WriteSafetyTests.folder()
        let input = Data("a comet crossed the orbit of the outer planets\n".utf8)
        let kept = try Self.trained(model: CLITests.tinyModel, in: folder)
        let json = try CLITests.run(["classify", kept, "--explain", "2", "--format", "json"], input: input)
        #expect(json.status == 0, "\(json.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(json.lines[0].utf8)) as? [String: Any]
        let nearest = object?["nearest"] as? [[String: Any]] ?? []
        #expect(object?["label"] as? String == "planets")
        #expect((object?["runner_up"] as? [String: Any])?["label"] as? String == "cooking")
        #expect(nearest.count == 2)
        #expect(nearest.first?["example"] as? Int == 2)
        #expect(nearest.first?["text"] as? String == "a comet crossed the orbit of the outer planets")
        let scores = nearest.compactMap { $0["score"] as? Double }
        #expect(scores.count == 2 && scores[0] >= scores[1] && abs(scores[0] - 1) < 1e-3, "\(scores)")

        let secret = try Self.trained(["--no-texts"], model: CLITests.tinyModel, in: folder)
        let positions = try CLITests.run(["classify", secret, "--explain", "1"], input: input)
        #expect(positions.status == 0 && positions.stderr.contains("keeps no texts"), "\(positions.stderr)")
        #expect(positions.lines.first?.split(separator: "\t").last == "#2", "\(positions.lines)")
        let hidden = try CLITests.run(["classify", secret, "--explain", "1", "--format", "json"], input: input)
        let first = (try JSONSerialization.jsonObject(with: Data(hidden.lines[0].utf8)) as? [String: Any])?["nearest"] as? [[String: Any]]
        #expect(first?.first?["example"] as? Int == 2 && first?.first?["text"] == nil)
    }

    /// Bad settings are usage errors: no count, 0, a multi-label classifier in tsv (json works).
    @Test func explainRefusesBadCountsAndMultiLabelTSV() throws {
        let folder = try WriteSafetyTests.folder()
        let classifier = try Self.trained(model: CLITests.tinyModel, in: folder)
        for bad in [["--explain", "0"], ["--explain", "many"], ["--explain"]] {
            let result = try CLITests.run(["classify", classifier] + bad, input: Data("a line\n".utf8))
            #expect(result.status == 2 && result.stdout.isEmpty, "\(bad): \(result.stderr)")
        }
        let multi = try Self.trained(["--multi-label"], model: CLITests.tinyModel, in: folder)
        let tsv = try CLITests.run(["classify", multi, "--explain", "1"], input: Data("a line\n".utf8))
        #expect(tsv.status == 2 && tsv.stderr.contains("--format json"), "\(tsv.stderr)")
        let json = try CLITests.run(["classify", multi, "--explain", "1", "--format", "json"], input: Data("stir the soup\n".utf8))
        #expect(json.status == 0 && json.text.contains("\"nearest\":[{\"example\":"), "\(json.stderr)")
    }

    /// `test --report` lists each confused pair with its wrong lines and the stored examples of the
    /// wrong label nearest to them; by position in a --no-texts file; says so when nothing is confused.
    @Test func testReportListsConfusedPairsWithTheExamplesThatPulledThemAcross() throws {
        let folder = try WriteSafetyTests.folder()
        let model = try HybridCLITests.lexiconModel(in: folder)
        let labelled = folder.appendingPathComponent("test.tsv").path
        // The first line is a cooking text labelled planets: it lands under cooking, pulled by its twin.
        try Data(
            "planets\tstir the onions in butter until they turn golden\ncooking\tbake the bread in a hot oven for forty minutes\n".utf8
        )
        .write(to: URL(fileURLWithPath: labelled))
        for (extra, twin) in [([String](), "<li>stir the onions in butter until they turn golden</li>"), (["--no-texts"], "<li>#4</li>")] {
            let classifier = try Self.trained(extra, model: model, in: folder)
            let page = folder.appendingPathComponent("report.html").path
            let tested = try CLITests.run(["test", classifier, labelled, "--report", page])
            #expect(tested.status == 0, "\(tested.stderr)")
            let html = try String(contentsOfFile: page, encoding: .utf8)
            #expect(html.contains("Confused pairs") && html.contains("planets → cooking (1)"))
            #expect(html.contains(twin), "\(extra)")
            #expect(!html.contains("cooking → planets ("))
        }
        let right = folder.appendingPathComponent("right.tsv").path
        try Data("cooking\tbake the bread in a hot oven for forty minutes\n".utf8).write(to: URL(fileURLWithPath: right))
        let page = folder.appendingPathComponent("right.html").path
        let classifier = try Self.trained(model: model, in: folder)
        #expect(try CLITests.run(["test", classifier, right, "--report", page]).status == 0)
        #expect(try String(contentsOfFile: page, encoding: .utf8).contains("No line was put under a wrong label."))
    }
}
