import Foundation
import Testing

/// A model with a companion encoder (`convert --companion`) through the binary: made, used by
/// every command that embeds, adapted, refused where one encoder is needed, and dropped again.
@Suite struct CompanionCLITests {
    /// The tiny test BERT (32 wide) with a static encoder of width 16 distilled from it beside it
    /// at weight 0.4; and the static model's index.
    static func joinedModel(in folder: URL) throws -> (model: String, index: String) {
        let (companion, index) = try StaticModelCLITests.staticModel(in: folder)
        let model = folder.appendingPathComponent("joined.safetensors").path
        let converted = try CLITests.run([
            "convert", CLITests.tinyModel, "--companion", companion, "--companion-weight", "0.4", "--dtype", "f32", "-o", model,
        ])
        #expect(converted.status == 0, "\(converted.stderr)")
        #expect(converted.stderr.contains("companion of width 16 (0 layers), weight 0.4"), "\(converted.stderr)")
        return (model, index)
    }

    static func rows(_ text: String) -> [[Float]] {
        text.split(separator: "\n").map { $0.split(separator: " ").compactMap { Float($0) } }
    }

    @Test func aJoinedModelEmbedsTrainsAdaptsAndEvaluatesAndDropsItsCompanion() throws {
        let folder = try WriteSafetyTests.folder()
        let (model, index) = try Self.joinedModel(in: folder)
        let lines = Data("a line about rivers\nanother line, about the sea\n".utf8)
        let joined = try CLITests.run(["embed", "--model", model], input: lines)
        #expect(joined.status == 0, "\(joined.stderr)")
        for row in Self.rows(joined.text) {
            #expect(row.count == 48)
            #expect(abs(row.map { $0 * $0 }.reduce(0, +) - 1) < 1e-3)
        }
        // Dropped again, the model embeds as the tiny BERT alone does.
        let alone = folder.appendingPathComponent("alone.safetensors").path
        let dropped = try CLITests.run(["convert", model, "--no-companion", "--dtype", "f32", "-o", alone])
        #expect(dropped.status == 0 && !dropped.stderr.contains("companion of width"), "\(dropped.stderr)")
        let ownRows = try CLITests.run(["embed", "--model", alone], input: lines)
        let tinyRows = try CLITests.run(["embed", "--model", CLITests.tinyModel], input: lines)
        #expect(ownRows.status == 0 && ownRows.text == tinyRows.text)
        // The joined rows' first 32 values are √0.6 times the model's own.
        let share: Float = (0.6 as Float).squareRoot()
        for (joinedRow, ownRow) in zip(Self.rows(joined.text), Self.rows(ownRows.text)) {
            let scaled = ownRow.map { share * $0 }
            #expect(ownRow.count == 32 && zip(joinedRow.prefix(32), scaled).allSatisfy { abs($0 - $1) < 1e-4 })
        }

        let support = try CLITests.twoLabelSupport("support.tsv").path
        let queries = Data("goal\nsong\n\nthe team sang\n".utf8)
        var outputs: [String] = []
        for name in ["plain", "adapted", "adapted-again"] {
            let classifier = folder.appendingPathComponent("\(name).fsc").path
            let adapt = name == "plain" ? [] : ["--finetune-steps", "4", "--finetune-choice", "always"]
            let trained = try CLITests.run(["train", "--model", model, "--examples", support, "-o", classifier] + adapt)
            #expect(trained.status == 0, "\(trained.stderr)")
            let classified = try CLITests.run(["classify", classifier, "--top", "2"], input: queries)
            #expect(classified.status == 0 && classified.lines.count == 4 && classified.lines[2].isEmpty, "\(classified.stderr)")
            outputs.append(classified.text)
        }
        #expect(outputs[1] != outputs[0], "adaptation changes the model's own encoder")
        #expect(outputs[1] == outputs[2], "an adapted classifier is the same when made again and read from its file")

        // One encoder's classifier and a joined one's do not merge: their embeddings differ.
        let other = folder.appendingPathComponent("other.fsc").path
        #expect(try CLITests.run(["train", "--model", alone, "--examples", support, "-o", other]).status == 0)
        let merged = try CLITests.run([
            "merge", folder.appendingPathComponent("plain.fsc").path, other, "-o", folder.appendingPathComponent("m.fsc").path,
        ])
        #expect(merged.status == 1 && merged.stderr.contains("different encoders"), "\(merged.stderr)")

        let evaluated = try CLITests.run([
            "eval", "--model", model, "--index", index, "--split", "test", "--shots", "1", "--ways", "3", "--episodes", "10",
        ])
        #expect(evaluated.status == 0 && evaluated.text.contains("| 1 |"), "\(evaluated.stderr)\(evaluated.text)")
    }

    @Test func companionSettingsThatCannotWorkAreUsageErrorsAndWriteNothing() throws {
        let folder = try WriteSafetyTests.folder()
        let (model, index) = try Self.joinedModel(in: folder)
        let output = folder.appendingPathComponent("out.safetensors").path
        let tiny = CLITests.tinyModel
        let refusals: [([String], String)] = [
            (["convert", tiny, "--companion", model, "-o", output], "has a companion of its own"),
            (["convert", tiny, "--companion", "fast", "-o", output], "another vocabulary"),
            (["convert", tiny, "--companion", "default", "-o", output], "has a companion of its own"),
            (["convert", tiny, "--companion", model, "--companion-weight", "1", "-o", output], "above 0 and below 1"),
            (["convert", tiny, "--companion-weight", "0.5", "-o", output], "--companion-weight goes with --companion"),
            (["convert", tiny, "--no-companion", "-o", output], "has no companion to drop"),
            (["convert", model, "--no-companion", "--companion", model, "-o", output], "exclude each other"),
            (["convert", model, "--static", "8", "-o", output], "has a companion (add --no-companion)"),
            (
                [
                    "meta-train", "--index", index, "--init", model, "--method", "protonet", "--ways", "3", "--shots", "2", "--steps", "2",
                    "--validate-every", "0", "-o", output,
                ], "meta-train trains one encoder"
            ),
        ]
        for (arguments, message) in refusals {
            let result = try CLITests.run(arguments)
            #expect(result.status == 2 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
            #expect(!FileManager.default.fileExists(atPath: output), "\(arguments) wrote \(output)")
        }
    }

    /// The shipped default is its encoder with a companion at weight 0.5: by name, `convert
    /// --no-companion` gives the encoder alone, whose embedding is the first half of the default's
    /// scaled by 1/√0.5.
    @Test func theShippedDefaultIsItsEncoderWithACompanionBesideIt() throws {
        let folder = try WriteSafetyTests.folder()
        let alone = folder.appendingPathComponent("own.safetensors").path
        let dropped = try CLITests.run(["convert", "default", "--no-companion", "-o", alone])
        #expect(dropped.status == 0 && dropped.stderr.contains("background topics"), "\(dropped.stderr)")
        let line = Data("the choir sang all night\n".utf8)
        let joined = Self.rows(try CLITests.run(["embed", "--model", "default"], input: line).text)
        let own = Self.rows(try CLITests.run(["embed", "--model", alone], input: line).text)
        #expect(joined.count == 1 && own.count == 1 && joined[0].count == 384 && own[0].count == 128)
        let share: Float = (0.5 as Float).squareRoot()
        let scaled = own[0].map { share * $0 }
        #expect(zip(joined[0].prefix(128), scaled).allSatisfy { abs($0 - $1) < 1e-4 })
    }
}
