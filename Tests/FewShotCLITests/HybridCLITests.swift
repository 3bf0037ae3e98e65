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
        // Rebuilt without --lexical, a classifier set to the embeddings alone stays so (as a fixed
        // temperature does); one on the model's weight follows the new model's.
        let again = folder.appendingPathComponent("again.fsc").path
        let keeping = try CLITests.run(["train", "--rebuild", dense, "--model", model, "-o", again])
        #expect(keeping.status == 0 && keeping.stderr.contains("embeddings alone"), "\(keeping.stderr)")
        let following = try CLITests.run(["train", "--rebuild", union, "--model", model, "-o", again])
        #expect(following.status == 0 && following.stderr.contains("lexical weight 1.50"), "\(following.stderr)")
        // Two classifiers that weigh words differently have no union: merge refuses, in either order.
        for (a, b) in [(union, dense), (dense, union)] {
            let merged = try CLITests.run(["merge", a, b, "-o", folder.appendingPathComponent("mixed.fsc").path])
            #expect(merged.status == 1 && merged.stderr.contains("scores words with weight"), "\(merged.stderr)")
        }
    }

    /// Merging, forgetting and keeping the last N, through the binary, with words in the score:
    /// each gives the classifier trained on exactly the examples that remain (same outputs, words
    /// included), and the words are really in use (the embeddings alone differ).
    @Test func mergeForgetAndKeepLastStayExactWithWords() throws {
        let folder = try WriteSafetyTests.folder()
        let model = try Self.lexiconModel(in: folder)
        let ours = "alpha\tthe first alpha line about rivers\nbeta\ta beta line about mountains\nalpha\tmore alpha words on lakes\n"
        let theirs = "beta\tanother beta line on hills\ngamma\tgamma talks of the sea\ngamma\tthe sea again for gamma\n"
        func write(_ text: String, _ name: String) throws -> String {
            let path = folder.appendingPathComponent(name).path
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            return path
        }
        func trained(_ text: String, _ name: String, _ extra: [String] = []) throws -> String {
            let output = folder.appendingPathComponent(name).path
            let result = try CLITests.run(["train", "--model", model, "--examples", try write(text, name + ".tsv"), "-o", output] + extra)
            #expect(
                result.status == 0 && (extra.contains("--lexical") || result.stderr.contains("lexical weight 1.50")), "\(result.stderr)")
            return output
        }
        let queries = Data("rivers and lakes\nthe mountains\nthe sea\n\nalpha beta gamma\n".utf8)
        func outputs(_ path: String) throws -> String {
            try CLITests.run(["classify", path, "--format", "json", "--top", "3"], input: queries).text
        }
        let merged = folder.appendingPathComponent("merged.fsc").path
        let merging = try CLITests.run(["merge", try trained(ours, "ours"), try trained(theirs, "theirs"), "-o", merged])
        #expect(merging.status == 0, "\(merging.stderr)")
        #expect(try outputs(merged) == outputs(try trained(ours + theirs, "union")))
        #expect(try outputs(merged) != outputs(try trained(ours + theirs, "dense", ["--lexical", "0"])))
        // Forget one example of ours: the classifier of the rest.
        let forgotten = folder.appendingPathComponent("forgotten.fsc").path
        let remove = try write("alpha\tmore alpha words on lakes\n", "remove.tsv")
        let forgetting = try CLITests.run(["train", "--update", merged, "--remove", remove, "-o", forgotten])
        #expect(forgetting.status == 0 && forgetting.stderr.contains("forgot 1 stored example ("), "\(forgetting.stderr)")
        let rest = "alpha\tthe first alpha line about rivers\nbeta\ta beta line about mountains\n" + theirs
        #expect(try outputs(forgotten) == outputs(try trained(rest, "rest")))
        // Keep each label's newest example: the classifier of those.
        let capped = folder.appendingPathComponent("capped.fsc").path
        let capping = try CLITests.run(["train", "--update", merged, "--keep-last", "1", "-o", capped])
        #expect(capping.status == 0, "\(capping.stderr)")
        let newest = "alpha\tmore alpha words on lakes\nbeta\tanother beta line on hills\ngamma\tthe sea again for gamma\n"
        #expect(try outputs(capped) == outputs(try trained(newest, "newest")))
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
