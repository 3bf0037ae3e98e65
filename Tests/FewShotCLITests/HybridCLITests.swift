import Foundation
import Testing

/// The hybrid score through the binary: a lexicon stored with an encoder by `convert`, used by
/// `train` and `classify`, exact through `--update`, and switched off with `--lexical 0`.
@Suite struct HybridCLITests {
    /// The tiny test encoder with a lexicon fitted on an index of the shipped WordNet corpora.
    static func lexiconModel(in folder: URL) throws -> String {
        let index = folder.appendingPathComponent("wordnet.fsi").path
        let corpus = CLITests.root.appendingPathComponent("corpora/domains.tsv").path
        #expect(try CLITests.run(["index", corpus, "--default-split", "train", "-o", index]).status == 0)
        let model = folder.appendingPathComponent("tiny-lexicon.safetensors").path
        let converted = try CLITests.run([
            "convert", CLITests.tinyModel, "--dtype", "f32", "--lexicon", index, "--lexical-weight", "1.5", "-o", model,
        ])
        #expect(converted.status == 0 && converted.stderr.contains("weight 1.5"), "\(converted.stderr)")
        return model
    }

    @Test func trainUsesTheModelsLexiconAndUpdatesStayExact() throws {
        let folder = try WriteSafetyTests.folder()
        let model = try Self.lexiconModel(in: folder)
        let first = try WriteSafetyTests.examples(in: folder, "first.tsv", labels: ["alpha", "beta"], perLabel: 3)
        let second = try WriteSafetyTests.examples(in: folder, "second.tsv", labels: ["beta", "gamma"], perLabel: 3)
        let all = folder.appendingPathComponent("all.tsv").path
        try (String(contentsOfFile: first, encoding: .utf8) + String(contentsOfFile: second, encoding: .utf8))
            .write(toFile: all, atomically: true, encoding: .utf8)
        let updated = folder.appendingPathComponent("updated.fsc").path
        let trained = try CLITests.run(["train", "--model", model, "--examples", first, "-o", updated])
        #expect(trained.status == 0 && trained.stderr.contains("lexical weight 1.50"), "\(trained.stderr)")
        #expect(try CLITests.run(["train", "--update", updated, second]).status == 0)
        let union = folder.appendingPathComponent("union.fsc").path
        #expect(try CLITests.run(["train", "--model", model, "--examples", all, "-o", union]).status == 0)
        let dense = folder.appendingPathComponent("dense.fsc").path
        let plain = try CLITests.run(["train", "--model", model, "--examples", all, "--lexical", "0", "-o", dense])
        #expect(plain.status == 0 && plain.stderr.contains("embeddings alone"), "\(plain.stderr)")
        // --rebuild honours --lexical: the same examples, the embeddings alone, equal to training that way.
        let rebuilt = folder.appendingPathComponent("rebuilt.fsc").path
        let rebuilding = try CLITests.run(["train", "--rebuild", union, "--model", model, "--lexical", "0", "-o", rebuilt])
        #expect(rebuilding.status == 0 && rebuilding.stderr.contains("embeddings alone"), "\(rebuilding.stderr)")
        let multi = try CLITests.run([
            "train", "--model", model, "--multi-label", "--examples", all, "-o", folder.appendingPathComponent("m.fsc").path,
        ])
        #expect(multi.status == 0 && multi.stderr.contains("lexical weight 1.50"), "\(multi.stderr)")
        let queries = Data("the alpha line\nsomething about gamma\n\nbeta beta\n".utf8)
        let outputs = try [updated, union, dense, rebuilt].map {
            try CLITests.run(["classify", $0, "--format", "json"], input: queries).text
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[1] != outputs[2])
        #expect(outputs[2] == outputs[3])
    }

    @Test func wordsNeedTheirVectorsAndALexicon() throws {
        let folder = try WriteSafetyTests.folder()
        let model = try Self.lexiconModel(in: folder)
        let examples = try WriteSafetyTests.examples(in: folder, "ex.tsv", labels: ["alpha", "beta"], perLabel: 2)
        let cases: [([String], Int32, String)] = [
            (["train", "--model", model, "--examples", examples, "--no-texts", "--lexical", "1"], 1, "keeps no word vectors"),
            (["train", "--model", CLITests.tinyModel, "--examples", examples, "--lexical", "1"], 1, "keeps no word vectors"),
            (["train", "--model", model, "--examples", examples, "--lexical", "-2"], 2, "--lexical must be"),
            (["convert", CLITests.tinyModel, "--lexical-weight", "1"], 2, "needs a lexicon"),
        ]
        for (arguments, status, message) in cases {
            let result = try CLITests.run(arguments + ["-o", folder.appendingPathComponent("out.fsc").path])
            #expect(result.status == status && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
        // --no-texts alone: the embeddings alone, said so.
        let private_ = try CLITests.run([
            "train", "--model", model, "--examples", examples, "--no-texts", "-o", folder.appendingPathComponent("p.fsc").path,
        ])
        #expect(private_.status == 0 && private_.stderr.contains("embeddings alone"), "\(private_.stderr)")
    }
}
