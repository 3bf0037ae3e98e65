import Foundation
import Testing

/// A model meta-trained for a per-task update (`meta-train --method protomaml`) carries it in its
/// file, and `train` and `eval` make it by default: through the binary.
@Suite struct TrainedUpdateTests {
    /// A protomaml model of the tiny encoder (3 inner steps at 0.01), meta-trained for 2 steps
    /// on three topics (`EvalAdaptationTests.index`), and converted to F16 (which must keep the
    /// update).
    static func protomamlModel() throws -> String {
        let index = try EvalAdaptationTests.index(split: "train")
        let directory = try CLITests.temporary("pm").deletingLastPathComponent()
        let model = directory.appendingPathComponent("pm.safetensors").path
        let converted = directory.appendingPathComponent("pm16.safetensors").path
        for arguments in [
            [
                "meta-train", "--index", index, "--init", CLITests.tinyModel, "--method", "protomaml", "--inner-steps", "3", "--inner-lr",
                "0.01", "--ways", "2", "--shots", "2", "--queries", "2", "--steps", "2", "--validate-every", "0", "-o", model,
            ],
            ["convert", model, "--dtype", "f16", "-o", converted],
        ] {
            let result = try CLITests.run(arguments)
            #expect(result.status == 0, "\(arguments[0]): \(result.stderr)")
        }
        return converted
    }

    @Test func trainMakesTheModelsUpdateUnlessTold() throws {
        let model = try Self.protomamlModel()
        let support = try CLITests.twoLabelSupport("support.tsv")
        let (adapted, plain, explicit) = (
            try CLITests.temporary("adapted.fsc").path, try CLITests.temporary("plain.fsc").path,
            try CLITests.temporary("explicit.fsc").path
        )
        let made = try CLITests.run(["train", "--model", model, "--examples", support.path, "-o", adapted])
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stderr.contains("was meta-trained for a per-task update: adapting the encoder"), "\(made.stderr)")
        // The model's own steps and rate, kept in every classifier (no --finetune-choice given).
        #expect(made.stderr.contains("kept the adapted encoder (3 steps of the head loss at learning rate 0.01"), "\(made.stderr)")
        let frozen = try CLITests.run(["train", "--model", model, "--examples", support.path, "--finetune-steps", "0", "-o", plain])
        #expect(frozen.status == 0 && !frozen.stderr.contains("adapting the encoder"), "\(frozen.stderr)")
        // Given settings win over the model's.
        let given = try CLITests.run([
            "train", "--model", model, "--examples", support.path, "--finetune-steps", "2", "--finetune-choice", "always", "-o", explicit,
        ])
        #expect(given.status == 0 && !given.stderr.contains("was meta-trained"), "\(given.stderr)")
        #expect(given.stderr.contains("kept the adapted encoder (2 steps of the head loss at learning rate 0.0003"), "\(given.stderr)")
        let queries = Data("goal\nsong\nthe judge\n".utf8)
        let outputs = try [adapted, plain, explicit].map { try CLITests.run(["classify", $0, "--top", "2"], input: queries).text }
        #expect(outputs[0] != outputs[1] && outputs[0] != outputs[2], "the update changes the encoder")
        // --update keeps a classifier's encoder: no adaptation, of the plain one or the adapted one.
        let more = try CLITests.temporary("more.tsv")
        try Data("sport\tthe referee blew the whistle\n".utf8).write(to: more)
        for file in [plain, adapted] {
            let updated = try CLITests.run(["train", "--update", file, more.path])
            #expect(updated.status == 0 && !updated.stderr.contains("adapting the encoder"), "\(updated.stderr)")
        }
        // A multi-label classifier cannot make it, and says so.
        let multi = try CLITests.run([
            "train", "--model", model, "--examples", support.path, "--multi-label", "-o", try CLITests.temporary("multi.fsc").path,
        ])
        #expect(multi.status == 0 && multi.stderr.contains("which a multi-label classifier cannot make"), "\(multi.stderr)")
    }

    @Test func evalMakesTheModelsUpdateWhereItsTablesCan() throws {
        let model = try Self.protomamlModel()
        let index = try EvalAdaptationTests.index()
        let base = ["eval", "--model", model, "--index", index, "--ways", "3", "--shots", "2", "--queries", "3", "--episodes", "4"]
        let adapted = try CLITests.run(base)
        #expect(adapted.status == 0, "\(adapted.stderr)")
        #expect(adapted.stderr.contains("was meta-trained for a per-task update: making it in every episode"), "\(adapted.stderr)")
        #expect(
            adapted.stderr.contains("adapting the encoder on each episode's support set, 3 steps of the head loss"), "\(adapted.stderr)")
        let plain = try CLITests.run(base + ["--finetune-steps", "0"])
        #expect(plain.status == 0 && !plain.stderr.contains("adapting"), "\(plain.stderr)")
        // Open-set episodes (2 known labels, 1 unknown) are scored after the update too.
        let openSet = try CLITests.run([
            "eval", "--model", model, "--index", index, "--ways", "2", "--shots", "2", "--queries", "3", "--episodes", "4", "--open-set",
            "1",
        ])
        #expect(openSet.status == 0 && openSet.stderr.contains("adapting the encoder on each episode"), "\(openSet.stderr)")
        #expect(openSet.text.contains("| open-set AUROC % |"), "\(openSet.text)")
        // Several lexical weights score the prototypes, and say so.
        let listed = try CLITests.run(base + ["--lexical", "0,0"])
        #expect(listed.status == 0 && listed.stderr.contains("these tables score its prototypes as they are"), "\(listed.stderr)")
        #expect(!listed.stderr.contains("adapting"), "\(listed.stderr)")
        // Its update's episodes are recorded without --finetune-steps; with 0 steps there is none to record.
        let record = try CLITests.temporary("update-records.jsonl").path
        let recorded = try CLITests.run(base + ["--finetune-record", record])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        #expect(try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").count == 4)
        let refused = try CLITests.run(base + ["--finetune-steps", "0", "--finetune-record", record])
        #expect(refused.status == 2 && refused.stderr.contains("or of a model meta-trained for a per-task update"), "\(refused.stderr)")
    }
}
