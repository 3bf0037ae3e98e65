import FewShot
import Foundation

/// `fewshot merge`: combine classifiers built apart with the same encoder.
enum MergeCommand {
    static let command = Command(
        name: "merge",
        summary: "Combine classifiers built separately with the same encoder into one (prototype sums and counts add).",
        usage: "A.fsc B.fsc [MORE.fsc...] -o ALL.fsc",
        options: [
            .value("output", short: "o", "FILE", "The merged classifier to write (atomically).")
        ],
        discussion: """
            Each classifier keeps, per label, the sum of its examples' embeddings and their count, so
            adding them gives exactly the classifier trained on the union of the examples: teams can
            each build one from their own lines and share only the .fsc. A .fsc keeps its examples'
            texts unless it was trained with --no-texts: train with it to share embeddings, not texts.
            Labels present in several files are combined; the others are appended. When every file
            keeps its examples, the result keeps them all and its probabilities are fitted on the
            union; otherwise it keeps none, and the temperatures (fitted on each file's own examples)
            combine as a count-weighted geometric mean, so probabilities can differ slightly from a
            classifier trained on the union; the labels and their ranking do not. Every file must use
            the same encoder (same weights, vocabulary and input length); a classifier adapted with
            --finetune-steps has its own encoder and cannot be merged.

            example:
              fewshot train --no-texts --examples ours.tsv -o ours.fsc
              fewshot train --no-texts --examples theirs.tsv -o theirs.fsc
              fewshot merge ours.fsc theirs.fsc -o all.fsc
            """,
        positionals: 2...Int.max)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        guard let output = try parsed.outputPath("output") else { throw CLIError.usage("missing -o ALL.fsc", command: command.name) }
        let merged = try FewShotClassifier.load(parsed.positionals[0])
        var withoutExamples = merged.memory == nil ? [parsed.positionals[0]] : []
        for path in parsed.positionals.dropFirst() {
            let other = try FewShotClassifier.load(path)
            if other.memory == nil { withoutExamples.append(path) }
            try merged.merge(other)
        }
        if !withoutExamples.isEmpty && withoutExamples.count < parsed.positionals.count {
            printError(
                "merge: \(withoutExamples.joined(separator: ", ")) keep no examples, so the merged classifier keeps none "
                    + "(it cannot use train --remove, --keep-last or --rebuild)")
        }
        try merged.save(to: output)
        let perLabel = merged.labels.indices.map { "\(merged.labels[$0]) \(merged.counts[$0])" }.joined(separator: ", ")
        printError("merge: \(parsed.positionals.count) classifiers; \(merged.labels.count) labels: \(perLabel) -> \(output)")
    }
}
