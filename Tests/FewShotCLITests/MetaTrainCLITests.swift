import Foundation
import Testing

/// `fewshot meta-train` through the binary: its options reach the run, and what a run does not
/// use is not required.
@Suite struct MetaTrainCLITests {
    /// An index of one family, "corpus": three train labels and three val labels.
    static func index(in folder: URL) throws -> String {
        let labels = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta"]
        let corpus = try WriteSafetyTests.examples(in: folder, "corpus.tsv", labels: labels, perLabel: 8)
        try Data("alpha\ttrain\nbeta\ttrain\ngamma\ttrain\ndelta\tval\nepsilon\tval\nzeta\tval\n".utf8)
            .write(to: folder.appendingPathComponent("corpus.split"))
        let index = folder.appendingPathComponent("corpus.fsi").path
        #expect(try CLITests.run(["index", corpus, "-o", index]).status == 0)
        return index
    }

    @Test func theValidationFamilyIsCheckedOnlyWhenTheRunValidates() throws {
        let folder = try WriteSafetyTests.folder()
        let index = try Self.index(in: folder)
        let model = folder.appendingPathComponent("m.safetensors").path
        let common = [
            "meta-train", "--index", index, "--init", CLITests.tinyModel, "--ways", "3", "--shots", "2", "--queries", "2", "--steps", "2",
            "--warmup", "1", "-o", model,
        ]
        // The default validation family (domains) is not in this index: fine without validation...
        let unvalidated = try CLITests.run(common + ["--validate-every", "0"])
        #expect(unvalidated.status == 0, "\(unvalidated.stderr)")
        // ...and a clear error with it.
        let validated = try CLITests.run(common + ["--validate-every", "1"])
        #expect(validated.status == 1 && validated.stderr.contains("no family 'domains' to validate on"), "\(validated.stderr)")
    }

    /// Open-set episodes reach the run: the same seed and steps give another model with them, and
    /// the state records them, so a resume without them is refused.
    @Test func openSetEpisodesChangeTheRunAndAreKeptInItsState() throws {
        let folder = try WriteSafetyTests.folder()
        let index = try Self.index(in: folder)
        func run(_ name: String, _ extra: [String]) throws -> (status: Int32, stderr: String, model: Data?) {
            let model = folder.appendingPathComponent(name).path
            let result = try CLITests.run(
                [
                    "meta-train", "--index", index, "--init", CLITests.tinyModel, "--ways", "2", "--shots", "2", "--queries", "2",
                    "--steps", "3", "--warmup", "1", "--validate-every", "0", "--checkpoint-every", "3", "-o", model,
                ] + extra)
            return (result.status, result.stderr, FileManager.default.contents(atPath: model))
        }
        let closed = try run("closed.safetensors", [])
        let open = try run("open.safetensors", ["--open-set-ways", "1", "--open-set-weight", "2"])
        #expect(closed.status == 0 && open.status == 0, "\(closed.stderr) \(open.stderr)")
        #expect(closed.model != nil && open.model != nil && closed.model != open.model)
        let resumed = try run("open.safetensors", ["--resume"])
        #expect(resumed.status != 0 && resumed.stderr.contains("options"), "\(resumed.stderr)")
    }

    @Test func everyBoundOptionIsCheckedAgainstItsRange() throws {
        let folder = try WriteSafetyTests.folder()
        let index = try Self.index(in: folder)
        let output = folder.appendingPathComponent("m.safetensors").path
        for (option, value) in [("ways", "1"), ("steps", "0"), ("lr", "fast"), ("validation-seed", "-1"), ("inner-steps", "1001")] {
            let result = try CLITests.run(["meta-train", "--index", index, "--\(option)", value, "-o", output])
            #expect(result.status == 2 && result.stderr.contains("--\(option)"), "\(option): \(result.stderr)")
        }
        let smallDistill = try CLITests.run(["meta-train", "--index", index, "--method", "distill", "--small-families", "-o", output])
        #expect(smallDistill.status == 2 && smallDistill.stderr.contains("--small-families is for --method protonet"))
        let weightRefusals: [([String], Int32, String)] =
            [
                (["--family-weights", "corpus"], 2, "--family-weights expects FAMILY=W"),
                (["--family-weights", "corpus=0"], 2, "--family-weights expects FAMILY=W"),
                (["--family-weights", "nowhere=2"], 1, "the index has no family 'nowhere' to weigh"),
                (["--family-weights", "corpus=2", "--method", "distill"], 2, "--family-weights is for --method protonet"),
                (["--family-weights", "corpus=2,corpus=3"], 2, "--family-weights gives 'corpus' twice"),
            ]
            + [
                (
                    ["--teacher", CLITests.tinyModel], 2,
                    "--teacher: --teacher, --teacher-cache, --transfer-embeddings are for --method distill"
                ),
                (["--transfer-embeddings"], 2, "are for --method distill"), (["--inner-lr", "0.1"], 2, "are for --method protomaml"),
                (["--init", CLITests.tinyModel, "--size", "tiny"], 2, "--size: --size, --vocab make a new encoder"),
            ]
            + [
                (["--open-set-ways", "2"], 2, "--open-set-ways U (1 to 1000) and --open-set-weight W (> 0) go together"),
                (["--open-set-weight", "0.5"], 2, "go together"), (["--open-set-ways", "2", "--open-set-weight", "0"], 2, "go together"),
                (["--open-set-ways", "0", "--open-set-weight", "1"], 2, "--open-set-ways"),
                (["--open-set-ways", "2", "--open-set-weight", "1", "--method", "distill"], 2, "are for --method protonet"),
            ]
            + [
                (["--plain-weight", "1"], 2, "--plain-weight is for --method protomaml"),
                (["--plain-weight", "-1", "--method", "protomaml"], 2, "--plain-weight must be a number ≥ 0"),
                (["--plain-weight", "many", "--method", "protomaml"], 2, "--plain-weight"),
            ]
        for (extra, status, message) in weightRefusals {
            let result = try CLITests.run(["meta-train", "--index", index, "-o", output] + extra)
            #expect(result.status == status && result.stderr.contains(message), "\(extra): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
