import Foundation
import Testing

/// `fewshot eval --lexical`: the hybrid of embeddings and TF-IDF beside the embeddings alone, on
/// the same episodes.
@Suite struct EvalLexicalTests {
    static func index() throws -> String {
        let folder = try WriteSafetyTests.folder()
        let index = folder.appendingPathComponent("corpora.fsi").path
        let corpora = ["corpora/domains.tsv", "corpora/categories.tsv"].map { CLITests.root.appendingPathComponent($0).path }
        #expect(try CLITests.run(["index"] + corpora + ["-o", index]).status == 0)
        return index
    }

    /// The accuracy column of the rows that start with `prefix`.
    static func accuracies(_ result: CLITests.Result, _ prefix: String, column: Int) -> [Double] {
        result.lines.filter { $0.hasPrefix(prefix) }.compactMap {
            Double($0.split(separator: "|")[column].trimmingCharacters(in: .whitespaces))
        }
    }

    @Test func weightZeroIsTheEmbeddingsAloneAndEachWeightHasItsRow() throws {
        let index = try Self.index()
        let common = ["eval", "--model", CLITests.tinyModel, "--index", index, "--episodes", "40", "--shots", "5"]
        let plain = try CLITests.run(common)
        let hybrid = try CLITests.run(common + ["--lexical", "0,1,4,fit"])
        #expect(plain.status == 0 && hybrid.status == 0, "\(hybrid.stderr)")
        #expect(hybrid.text.contains("| family | shots | lexical W | accuracy % |"))
        let dense = Self.accuracies(plain, "| any | 5 |", column: 2)
        #expect(dense.count == 1 && Self.accuracies(hybrid, "| any | 5 | 0.0 |", column: 3) == dense)
        let weighted = Self.accuracies(hybrid, "| any | 5 | 4.0 |", column: 3)
        // The tiny test encoder knows little; its words help it a lot.
        #expect(weighted.count == 1 && weighted[0] > dense[0], "\(weighted) vs \(dense)")
        // Chosen per episode on the support set: one more row, also above the embeddings alone.
        let fitted = Self.accuracies(hybrid, "| any | 5 | fit |", column: 3)
        #expect(fitted.count == 1 && fitted[0] > dense[0], "\(fitted) vs \(dense)")
    }

    @Test func aModelWithALexiconIsEvaluatedWithItsOwnWeightByDefault() throws {
        let folder = try WriteSafetyTests.folder()
        let model = try HybridCLITests.lexiconModel(in: folder)
        let index = try Self.index()
        let common = ["eval", "--index", index, "--episodes", "30", "--shots", "5"]
        let byDefault = try CLITests.run(common + ["--model", model])
        #expect(byDefault.status == 0, "\(byDefault.stderr)")
        #expect(byDefault.stderr.contains("the model's lexicon"), "\(byDefault.stderr)")
        let own = Self.accuracies(byDefault, "| any | 5 | 1.5 |", column: 3)
        let given = Self.accuracies(try CLITests.run(common + ["--model", model, "--lexical", "1.5"]), "| any | 5 | 1.5 |", column: 3)
        #expect(own.count == 1 && own == given)
        // --lexical 0 is the embeddings alone: the row of the same encoder without a lexicon.
        let dense = Self.accuracies(try CLITests.run(common + ["--model", CLITests.tinyModel]), "| any | 5 |", column: 2)
        let off = Self.accuracies(try CLITests.run(common + ["--model", model, "--lexical", "0"]), "| any | 5 | 0.0 |", column: 3)
        #expect(dense.count == 1 && off == dense)
        #expect(own[0] != dense[0])
    }

    @Test func lexicalWeightsThatCannotWorkAreRefused() throws {
        let index = try Self.index()
        for (arguments, message) in [
            (["--model", "tfidf", "--lexical", "1"], "give --model an encoder"),
            (["--model", CLITests.tinyModel, "--lexical", "-1"], "0 or more"),
            (["--model", CLITests.tinyModel, "--lexical", "1,x"], "--lexical takes weights of 0 or more, or 'fit'"),
            (["--model", CLITests.tinyModel, "--lexical", "0,1", "--calibration"], "one --lexical weight"),
        ] {
            let result = try CLITests.run(["eval", "--index", index, "--episodes", "5"] + arguments)
            #expect(result.status == 2 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func calibrationAndOpenSetScoreWithTheOneWeightGiven() throws {
        let index = try Self.index()
        let common = ["eval", "--model", CLITests.tinyModel, "--index", index, "--episodes", "20", "--shots", "5", "--calibration"]
        let dense = try CLITests.run(common)
        let hybrid = try CLITests.run(common + ["--lexical", "4"])
        #expect(dense.status == 0 && hybrid.status == 0, "\(hybrid.stderr)")
        let ece = { (result: CLITests.Result) in
            result.lines.filter { $0.hasPrefix("| any | 5 |") && $0.contains("→") }.map {
                $0.split(separator: "|")[3].trimmingCharacters(in: .whitespaces)
            }
        }
        #expect(ece(dense).count == 1 && ece(hybrid).count == 1 && ece(dense) != ece(hybrid))
        // Weight 0 is the embeddings alone, to the digit.
        #expect(ece(try CLITests.run(common + ["--lexical", "0"])) == ece(dense))
    }
}
