import FewShot
import Foundation

/// `fewshot merge`: combine classifiers built apart with the same encoder.
enum MergeCommand {
    static let command = Command(
        name: "merge",
        summary: "Combine classifiers built separately with the same encoder into one (their stored examples join).",
        usage: "A.fsc B.fsc [MORE.fsc...] -o ALL.fsc",
        options: [
            .value("output", short: "o", "FILE", "The merged classifier to write (atomically).")
        ],
        discussion: """
            Each classifier keeps its examples' embeddings, so joining them gives exactly the
            classifier trained on the union of the examples, probabilities fitted on the union
            included: teams can each build one from their own lines and share only the .fsc. A .fsc
            keeps its examples' texts unless it was trained with --no-texts: train with it to share
            embeddings, not texts (the merge then keeps no texts). Labels present in several files
            are combined; the others are appended. A temperature fixed with train --temperature T is
            kept (the first file's, if several fix one). Every file must use the same encoder (same
            weights, vocabulary and input length); a classifier adapted with --finetune-steps has its
            own encoder and cannot be merged, and neither can a file written before classifiers
            kept their examples.

            example:
              fewshot train --no-texts --examples ours.tsv -o ours.fsc
              fewshot train --no-texts --examples theirs.tsv -o theirs.fsc
              fewshot merge ours.fsc theirs.fsc -o all.fsc
            """,
        positionals: 2...Int.max)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        guard let output = try parsed.outputPath("output", mayReplace: ["positionals"]) else {
            throw CLIError.usage("missing -o ALL.fsc", command: command.name)
        }
        let merged = try FewShotClassifier.load(parsed.positionals[0])
        for path in parsed.positionals.dropFirst() {
            let other = try FewShotClassifier.load(path)
            if merged.fit.temperatureIsFixed && other.fit.temperatureIsFixed && merged.fit.temperature != other.fit.temperature {
                printError(
                    "merge: \(path) fixes the temperature at \(other.fit.temperature); the merged classifier keeps "
                        + "\(merged.fit.temperature), fixed earlier (train --update ALL.fsc --temperature T changes it)")
            }
            try merged.merge(other)
        }
        try merged.save(to: output)
        let perLabel = merged.labels.indices.map { "\(merged.labels[$0]) \(merged.counts[$0])" }.joined(separator: ", ")
        printError("merge: \(parsed.positionals.count) classifiers; \(counted(merged.labels.count, "label")): \(perLabel) -> \(output)")
    }
}
