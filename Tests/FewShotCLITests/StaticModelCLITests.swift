import Foundation
import Testing

/// A static encoder through the binary: made by `convert --static`, then used as any model is
/// (`embed`, `train`, `classify`, `eval`, `--rebuild`, `meta-train --init`), and refused where
/// another encoder's classifier is expected (`merge`).
@Suite struct StaticModelCLITests {
    /// A static encoder of width 16 distilled from the tiny test BERT, its tokens weighed by
    /// their frequencies in an index of the shipped WordNet corpora.
    static func staticModel(in folder: URL) throws -> (model: String, index: String) {
        let index = folder.appendingPathComponent("wordnet.fsi").path
        let corpus = CLITests.root.appendingPathComponent("corpora/domains.tsv").path
        #expect(try CLITests.run(["index", corpus, "-o", index]).status == 0)
        let model = folder.appendingPathComponent("static.safetensors").path
        let converted = try CLITests.run([
            "convert", CLITests.tinyModel, "--static", "16", "--frequencies", index, "--dtype", "f32", "-o", model,
        ])
        #expect(converted.status == 0, "\(converted.stderr)")
        #expect(converted.stderr.contains("static encoder of width 16") && converted.stderr.contains("by frequency"), "\(converted.stderr)")
        return (model, index)
    }

    @Test func staticModelEmbedsTrainsClassifiesAndEvaluates() throws {
        let folder = try WriteSafetyTests.folder()
        let (model, index) = try Self.staticModel(in: folder)
        let lines = Data("a line about rivers\n\nanother line, about the sea\n".utf8)
        let embedded = try CLITests.run(["embed", "--model", model], input: lines)
        #expect(embedded.status == 0, "\(embedded.stderr)")
        let rows = embedded.lines.map { $0.split(separator: " ").compactMap { Float($0) } }
        #expect(rows.count == 3)
        for row in [rows[0], rows[2]] {
            #expect(row.count == 16)
            #expect(abs(row.map { $0 * $0 }.reduce(0, +) - 1) < 1e-3)
        }
        #expect(rows[0] != rows[2])

        let examples = try WriteSafetyTests.examples(in: folder, "examples.tsv", labels: ["rivers", "mountains", "sea"])
        let classifier = folder.appendingPathComponent("static.fsc").path
        let trained = try CLITests.run(["train", "--model", model, "--examples", examples, "-o", classifier])
        #expect(trained.status == 0, "\(trained.stderr)")
        let queries = Data("rivers example number 9 about rivers\nsea\n\nmountains and more mountains\n".utf8)
        let classified = try CLITests.run(["classify", classifier], input: queries)
        #expect(classified.status == 0 && classified.lines.count == 4, "\(classified.stderr)")
        #expect(classified.lines[0].hasPrefix("rivers\t"))
        #expect(classified.lines[2].isEmpty)
        // Rebuilt from its examples with the same model: the same classifier, the same outputs.
        let rebuilt = folder.appendingPathComponent("rebuilt.fsc").path
        #expect(try CLITests.run(["train", "--rebuild", classifier, "--model", model, "-o", rebuilt]).status == 0)
        #expect(try CLITests.run(["classify", rebuilt], input: queries).text == classified.text)

        let evaluated = try CLITests.run([
            "eval", "--model", model, "--index", index, "--split", "test", "--shots", "1", "--ways", "3", "--episodes", "20",
        ])
        #expect(evaluated.status == 0 && evaluated.text.contains("| 1 |"), "\(evaluated.stderr)\(evaluated.text)")
    }

    /// The shipped static model, by name: a classifier on it trains, classifies, and refuses to
    /// merge with one of the shipped default's.
    @Test func shippedFastModelWorksByName() throws {
        let folder = try WriteSafetyTests.folder()
        let support = CLITests.root.appendingPathComponent("examples/support.tsv").path
        let fast = folder.appendingPathComponent("fast.fsc").path
        let trained = try CLITests.run(["train", "--model", "fast", "--examples", support, "-o", fast])
        #expect(trained.status == 0 && trained.stderr.contains("lexical weight"), "\(trained.stderr)")
        let sample = try Data(contentsOf: CLITests.root.appendingPathComponent("examples/sample.txt"))
        let classified = try CLITests.run(["classify", fast], input: sample)
        let sampleLines = String(decoding: sample, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).count - 1
        #expect(classified.status == 0 && classified.lines.count == sampleLines, "\(classified.stderr)")
        let labels = Set(classified.lines.compactMap { $0.split(separator: "\t").first.map(String.init) })
        #expect(labels.count >= 3, "the sample spans several labels: \(labels)")
        let other = folder.appendingPathComponent("default.fsc").path
        #expect(try CLITests.run(["train", "--examples", support, "-o", other]).status == 0)
        let merged = try CLITests.run(["merge", fast, other, "-o", folder.appendingPathComponent("merged.fsc").path])
        #expect(merged.status != 0 && merged.stderr.contains("encoder"), "\(merged.stderr)")
    }

    @Test func staticModelMetaTrainsAndStaysStatic() throws {
        let folder = try WriteSafetyTests.folder()
        let (model, index) = try Self.staticModel(in: folder)
        let tuned = folder.appendingPathComponent("tuned.safetensors").path
        let training = try CLITests.run([
            "meta-train", "--index", index, "--init", model, "--method", "protonet", "--ways", "3", "--shots", "2", "--queries", "2",
            "--steps", "5", "--validate-every", "0", "-o", tuned,
        ])
        #expect(training.status == 0, "\(training.stderr)")
        let header = try String(contentsOfFile: tuned, encoding: .isoLatin1)
        #expect(header.contains("\\\"layers\\\":0"), "the tuned model keeps no layers")
        let lines = Data("a line about rivers\n".utf8)
        let before = try CLITests.run(["embed", "--model", model], input: lines).text
        let after = try CLITests.run(["embed", "--model", tuned], input: lines)
        #expect(after.status == 0 && after.text != before, "training changed the token vectors")
    }

    @Test func staticModelsRefuseBadSettingsAndOtherEncodersClassifiers() throws {
        let folder = try WriteSafetyTests.folder()
        let (model, index) = try Self.staticModel(in: folder)
        let out = folder.appendingPathComponent("bad.safetensors").path
        for arguments in [
            ["--static", "0"], ["--static", "33"], ["--static", "wide"], ["--frequencies", index],
        ] {
            let result = try CLITests.run(["convert", CLITests.tinyModel] + arguments + ["-o", out])
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: out))
        }
        let examples = try WriteSafetyTests.examples(in: folder, "examples.tsv", labels: ["rivers", "sea"])
        let mine = folder.appendingPathComponent("static.fsc").path
        let theirs = folder.appendingPathComponent("bert.fsc").path
        #expect(try CLITests.run(["train", "--model", model, "--examples", examples, "-o", mine]).status == 0)
        #expect(try CLITests.run(["train", "--model", CLITests.tinyModel, "--examples", examples, "-o", theirs]).status == 0)
        let merged = try CLITests.run(["merge", mine, theirs, "-o", folder.appendingPathComponent("merged.fsc").path])
        #expect(merged.status != 0 && merged.stderr.contains("encoder"), "\(merged.stderr)")
    }
}
