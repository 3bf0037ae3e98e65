import Foundation
import Testing

/// `train --multi-label`, `classify` and `test` on lines with several labels, and the refusals.
@Suite struct MultiLabelCLITests {
    static let training = """
        sport\tthe team won the football match with a late goal
        sport\tthe runner finished the marathon in record time
        sport,money\tthe club paid a record transfer fee for the striker
        sport,money\tticket prices for the final doubled overnight
        money\tthe bank raised interest rates again
        money\tstocks fell as investors sold their shares
        cooking\tbake the bread in a hot oven for forty minutes
        cooking\tstir the sauce and season it with salt and pepper
        cooking,money\tthe restaurant doubled the price of its menu
        cooking,money\tcheap recipes to feed a family on a budget

        """

    static func write(_ text: String, _ name: String, in folder: URL) throws -> String {
        let path = folder.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func trainClassifyAndTestSeveralLabelsPerLine() throws {
        let folder = try WriteSafetyTests.folder()
        let examples = try Self.write(Self.training, "train.tsv", in: folder)
        let classifier = folder.appendingPathComponent("multi.fsc").path
        let trained = try CLITests.run(["train", "--multi-label", "--examples", examples, "-o", classifier])
        #expect(trained.status == 0, "\(trained.stderr)")
        #expect(trained.stderr.contains("multi-label thresholds sport 0."), "\(trained.stderr)")
        // Lines that are training examples get their own label sets.
        let lines = "the team won the football match with a late goal\nthe restaurant doubled the price of its menu\n\n"
        let tsv = try CLITests.run(["classify", classifier], input: Data(lines.utf8))
        #expect(tsv.status == 0)
        let sets = tsv.lines.map { Set($0.split(separator: "\t").enumerated().filter { $0.offset % 2 == 0 }.map { String($0.element) }) }
        #expect(sets.count == 3)
        #expect(sets[0].contains("sport") && !sets[0].contains("cooking"))
        #expect(sets[1].isSuperset(of: ["cooking", "money"]))
        #expect(sets[2].isEmpty)
        let json = try CLITests.run(["classify", classifier, "--format", "json"], input: Data(lines.utf8))
        #expect(json.lines.count == 3 && json.lines[0].hasPrefix("{\"labels\":[{\"label\":"))
        let test = try CLITests.run(["test", classifier, examples])
        #expect(test.status == 0)
        #expect(test.text.contains("micro-F1") && test.text.contains("subset accuracy") && test.text.contains("Hamming loss"))
        let testJSON = try CLITests.run(["test", classifier, examples, "--format", "json"])
        for key in ["\"micro_f1\":", "\"macro_f1\":", "\"subset_accuracy\":", "\"hamming_loss\":"] {
            #expect(testJSON.text.contains(key))
        }
        // The file keeps the mode: a reloaded classifier classifies the same way.
        #expect(try CLITests.run(["classify", classifier], input: Data(lines.utf8)).text == tsv.text)
    }

    @Test func ambiguousLabelListsAndMixedModesAreRefused() throws {
        let folder = try WriteSafetyTests.folder()
        let model = CLITests.tinyModel
        let empty = try Self.write("sport\tgoal\nsport,,money\tfee\n", "empty.tsv", in: folder)
        let refused = try CLITests.run(["train", "--model", model, "--multi-label", "--examples", empty, "-o", "\(folder.path)/x.fsc"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("empty.tsv:2:"), "\(refused.stderr)")
        let twice = try Self.write("sport,sport\tgoal\n", "twice.tsv", in: folder)
        let duplicate = try CLITests.run(["train", "--model", model, "--multi-label", "--examples", twice, "-o", "\(folder.path)/y.fsc"])
        #expect(duplicate.status == 1 && duplicate.stderr.contains("twice.tsv:1:") && duplicate.stderr.contains("listed twice"))
        let multi = folder.appendingPathComponent("multi.fsc").path
        let single = folder.appendingPathComponent("single.fsc").path
        let examples = try Self.write(Self.training, "train.tsv", in: folder)
        #expect(try CLITests.run(["train", "--model", model, "--multi-label", "--examples", examples, "-o", multi]).status == 0)
        let plain = try Self.write("sport\tgoal\nmoney\tbank\n", "plain.tsv", in: folder)
        #expect(try CLITests.run(["train", "--model", model, "--examples", plain, "-o", single]).status == 0)
        let merged = try CLITests.run(["merge", multi, single, "-o", "\(folder.path)/m.fsc"])
        #expect(merged.status == 1 && merged.stderr.contains("single-label and multi-label"), "\(merged.stderr)")
        let update = try CLITests.run(["train", "--update", single, "--multi-label", examples])
        #expect(update.status == 1 && update.stderr.contains("single-label and multi-label"), "\(update.stderr)")
        #expect(try CLITests.run(["classify", multi, "--threshold", "0.5"], input: Data("goal\n".utf8)).status == 2)
        let top = try CLITests.run(["classify", multi, "--top", "2"], input: Data("goal\n".utf8))
        #expect(top.status == 2 && top.stderr.contains("--top does not apply"), "\(top.stderr)")
        #expect(
            try CLITests.run(["train", "--model", model, "--multi-label", "--finetune-steps", "3", "--examples", examples, "-o", multi])
                .status == 2)
    }
}
