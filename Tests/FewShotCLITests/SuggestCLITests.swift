import Foundation
import Testing

/// `fewshot suggest` through the binary: '?<TAB>text<TAB># guess' lines that, filled in, feed
/// `train --update`; bad input; and `eval --active`, the simulated sessions that measure it.
@Suite struct SuggestCLITests {
    static let pool = """
        the telescope found a new moon around the giant planet
        simmer the beans with garlic and a bay leaf

        a rocket carried the probe past the rings
        whisk the eggs with sugar until pale
        the galaxy is full of old red stars
        roast the chicken with lemon and thyme
        the planet orbits a distant star in a cold galaxy

        """

    static func poolFile(in folder: URL, _ text: String = pool) throws -> String {
        let path = folder.appendingPathComponent("pool-\(UUID().uuidString).txt").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// n lines in the documented form, none of them an example already, blank or repeated; the
    /// same command prints the same lines; filled in, they update the classifier exactly as
    /// training on them would (the comment column ignored), and a '?' left is reported and skipped.
    @Test func suggestedLinesFilledInUpdateTheClassifier() throws {
        let folder = try WriteSafetyTests.folder()
        let model = try HybridCLITests.lexiconModel(in: folder)
        let classifier = try ExplainCLITests.trained(model: model, in: folder)
        let pool = try Self.poolFile(in: folder)
        for strategy in ["representative", "diverse", "margin", "random"] {
            let result = try CLITests.run(["suggest", classifier, pool, "-n", "3", "--strategy", strategy])
            #expect(result.status == 0 && result.stderr.contains("3 picked from 6 usable lines (8 read"), "\(strategy): \(result.stderr)")
            #expect(result.lines.count == 3)
            for line in result.lines {
                let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
                #expect(fields.count == 3 && fields[0] == "?" && fields[2].hasPrefix("# guess "), "\(line)")
                #expect(!fields[1].isEmpty && fields[1] != "the planet orbits a distant star in a cold galaxy")
            }
            #expect(Set(result.lines).count == 3)
            #expect(try CLITests.run(["suggest", classifier, pool, "-n", "3", "--strategy", strategy]).text == result.text)
            // The same pool with CRLF line ends: the same suggestions (a CR is no text: stored
            // examples and repeats stay out).
            let crlf = try Self.poolFile(in: folder, Self.pool.replacingOccurrences(of: "\n", with: "\r\n"))
            #expect(try CLITests.run(["suggest", classifier, crlf, "-n", "3", "--strategy", strategy]).text == result.text, "\(strategy)")
            let all = try CLITests.run(["suggest", classifier, crlf, "-n", "10", "--strategy", strategy]).lines
            #expect(all.count == 6 && Set(all).count == 6 && !all.contains { $0.contains("\r") || $0.contains("a distant star") }, "\(all)")
        }
        let suggested = try CLITests.run(["suggest", classifier, pool, "-n", "2"]).lines
        let texts = suggested.map { String($0.split(separator: "\t")[1]) }
        let labels = texts.map { $0.contains("moon") || $0.contains("rocket") || $0.contains("galaxy") ? "planets" : "cooking" }
        let filled = folder.appendingPathComponent("filled.tsv").path
        let filledText = zip(labels, suggested).map { $0 + $1.dropFirst() }.joined(separator: "\n") + "\n?\tnot labelled yet\n"
        try Data(filledText.utf8).write(to: URL(fileURLWithPath: filled))
        let updated = try CLITests.run(["train", "--update", classifier, filled])
        #expect(updated.status == 0 && updated.stderr.contains("not labelled yet"), "\(updated.stderr)")
        let union = folder.appendingPathComponent("union.tsv").path
        try Data((ExplainCLITests.examples + zip(labels, texts).map { "\($0)\t\($1)\n" }.joined()).utf8)
            .write(to: URL(fileURLWithPath: union))
        let direct = folder.appendingPathComponent("direct.fsc").path
        #expect(try CLITests.run(["train", "--model", model, "--examples", union, "-o", direct]).status == 0)
        let queries = Data("a moon of ice\nfry the onions\n".utf8)
        let a = try CLITests.run(["classify", classifier, "--format", "json", "--explain", "9"], input: queries).text
        let b = try CLITests.run(["classify", direct, "--format", "json", "--explain", "9"], input: queries).text
        #expect(a == b && !a.isEmpty)
    }

    /// Bad input: -n 0, an unknown strategy, an empty pool, a pool of blank lines or of the
    /// classifier's own examples, and an encoder file where a classifier is expected.
    @Test func suggestRefusesBadInput() throws {
        let folder = try WriteSafetyTests.folder()
        let classifier = try ExplainCLITests.trained(model: CLITests.tinyModel, in: folder)
        let pool = try Self.poolFile(in: folder)
        for bad in [["-n", "0"], ["--strategy", "clever"], ["-n", "x"]] {
            let result = try CLITests.run(["suggest", classifier, pool] + bad)
            #expect(result.status == 2 && result.stdout.isEmpty, "\(bad): \(result.stderr)")
        }
        let examplesOnly = ExplainCLITests.examples.split(separator: "\n").map { $0.split(separator: "\t")[1] }.joined(separator: "\n")
        for (text, why) in [("", "0 lines read"), ("\n  \n\t\n", "3 lines read"), (examplesOnly, "6 lines read")] {
            let result = try CLITests.run(["suggest", classifier, try Self.poolFile(in: folder, text)])
            #expect(result.status == 1 && result.stderr.contains("no line to suggest") && result.stderr.contains(why), "\(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let encoder = try CLITests.run(["suggest", CLITests.tinyModel + "/model.safetensors", pool])
        #expect(encoder.status != 0 && encoder.stdout.isEmpty && !encoder.stderr.isEmpty)
        let fromStdin = try CLITests.run(["suggest", classifier, "-", "-n", "1"], input: Data(Self.pool.utf8))
        #expect(fromStdin.status == 0 && fromStdin.lines.count == 1, "\(fromStdin.stderr)")
    }

    /// `eval --active`: one row per strategy with the accuracy after every round, a paired gain
    /// over random, the same numbers on a second run; and its usage errors.
    @Test func evalActiveSimulatesSessionsReproducibly() throws {
        let folder = try WriteSafetyTests.folder()
        let index = folder.appendingPathComponent("domains.fsi").path
        let corpus = CLITests.root.appendingPathComponent("corpora/domains.tsv").path
        #expect(try CLITests.run(["index", corpus, "-o", index]).status == 0)
        let arguments = [
            "eval", "--model", CLITests.tinyModel, "--index", index, "--split", "test", "--shots", "1", "--active", "2",
            "--active-batch", "3", "--active-pool", "6", "--queries", "4", "--episodes", "6",
        ]
        let first = try CLITests.run(arguments)
        #expect(first.status == 0, "\(first.stderr)")
        let rows = first.lines.filter { $0.hasPrefix("| any | 1 (5 labels) |") }
        #expect(rows.count == 4, "\(first.text)")
        for (row, strategy) in zip(rows, ["random", "representative", "diverse", "margin"]) {
            let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            #expect(cells[2] == strategy && cells.count == 7, "\(row)")
            #expect(cells[3...5].allSatisfy { Double($0).map { (0...100).contains($0) } ?? false }, "\(row)")
        }
        #expect(rows[0].hasSuffix("| – |") && rows[1].contains(" ± "))
        #expect(try CLITests.run(arguments).text == first.text)
        for (bad, message) in [
            (["--model", "tfidf"], "--active needs an encoder"), (["--strategy", "random"], "--strategy takes"),
            (["--calibration"], "--active runs alone"), (["--lexical", "0,1"], "one --lexical weight"),
            (["--active", "20"], "labels more lines than the pool holds"),
        ] {
            var changed = arguments
            if bad[0] == "--model" { changed[2] = bad[1] } else { changed += bad }
            let result = try CLITests.run(changed)
            #expect(result.status == 2 && result.stderr.contains(message), "\(bad): \(result.stderr)")
        }
    }
}
