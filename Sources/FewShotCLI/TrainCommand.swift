import Corpus
import Embedding
import FewShot
import Foundation
import Storage

/// `fewshot train`: build (or extend) a few-shot classifier from labelled lines.
enum TrainCommand {
    static let command = Command(
        name: "train",
        summary: "Build a few-shot classifier (.fsc) from label<TAB>text examples, or add examples to one.",
        usage: "[--model MODEL] [--examples FILE.tsv] [--labels LABELS.tsv] -o NAME.fsc | --update NAME.fsc MORE.tsv",
        options: [
            .value(
                "model", "MODEL",
                "The encoder: a shipped model by name (default: fast; accurate: meta-tuned all-MiniLM-L6-v2, "
                    + "slower), a .safetensors, or a BERT directory.",
                default: "default"),
            .value("examples", "FILE", "Labelled examples, label<TAB>text per line (any number of labels, one or more examples each)."),
            .value(
                "labels", "FILE",
                "Labels by name or description: 'label' or 'label<TAB>description' per line; each counts as "
                    + "one example of its label (zero-shot with no --examples)."
            ),
            .value("output", short: "o", "FILE", "The classifier to write (atomically)."),
            .flag(
                "multi-label",
                "Each example may have several labels, comma-separated in its label field (sport,politics); each label then "
                    + "scores on its own, with a threshold fitted on the examples."),
            .value(
                "update", "NAME.fsc",
                "Add the examples of the positional FILE to this classifier (new labels allowed); writes it back, or to -o."),
            .value(
                "temperature", "T",
                "Softmax temperature of the probabilities: 'fit' fits it leave-one-out on the examples (labels "
                    + "with 2+ examples; otherwise 8), or a fixed number.",
                default: "fit"),
            .value(
                "finetune-steps", "N",
                "Adapt the encoder to these examples first: N full-batch steps of a prototype-initialised "
                    + "cosine classifier trained with the encoder (0 = frozen encoder; 30 is a good start).",
                default: "0"),
            .value("finetune-lr", "RATE", "Learning rate of the adaptation (the head uses 20x).", default: "0.0003"),
        ],
        discussion: """
            Each label's prototype is the mean of its examples' embeddings. With --finetune-steps N the
            encoder is first adapted to the examples (N steps of a prototype-initialised cosine
            classifier trained with the encoder; it takes seconds for a few dozen examples at N = 30): with
            an earlier default encoder this raised accuracy slightly on unseen WordNet topics (not yet
            re-measured with this one) but made probabilities overconfident. The file keeps prototype sums and counts, so --update
            adds examples (embedded with the classifier's encoder) without re-embedding the old ones;
            for a classifier trained without adaptation the result equals training on the union.
            Lines without a tab or with an empty text are reported as file:line and skipped.

            Probabilities are softmax(T · cosine) over labels, with T fitted on the examples themselves
            (each scored against its label's prototype without it): on validation topics this made the
            probabilities of the shipped models better calibrated than a fixed T ('fewshot test' prints the
            expected calibration error). With one example per label nothing can be fitted and T is 8,
            chosen on the val topics for one-shot classifiers (models/README.md).

            Labels from their names: --labels FILE defines labels by their name ('american_football'
            is read as "american football") or by a description after a tab; each becomes one
            example of its label, so it works alone (zero-shot; 'fewshot eval --zero-shot' measures how
            well; models/README.md has its figures on unseen topics) and combines with --examples.

            examples:
              fewshot train --examples support.tsv -o topics.fsc
              fewshot train --update topics.fsc more.tsv
              fewshot train --examples support.tsv --finetune-steps 20 -o adapted.fsc
              fewshot train --labels names.tsv -o zero-shot.fsc
            """,
        positionals: 0...1)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        let updating = parsed.string("update") != nil
        if updating && parsed.values["finetune-steps"] != nil {
            throw CLIError.usage(
                "--finetune-steps adapts to all examples at once; it cannot be combined with --update (train afresh on the union)",
                command: command.name)
        }
        // --update keeps the classifier's encoder (adapted or not) and only adds prototypes.
        let finetuneSteps = updating ? 0 : try parsed.int("finetune-steps", in: 0...100_000)
        if parsed.flag("multi-label") && finetuneSteps > 0 {
            throw CLIError.usage(
                "--finetune-steps adapts a single-label classifier; it cannot be combined with --multi-label", command: command.name)
        }
        let finetuneRate = Float(try parsed.double("finetune-lr"))
        let temperatureText = try parsed.required("temperature")
        let fixedTemperature = temperatureText == "fit" ? nil : Float(temperatureText)
        guard temperatureText == "fit" || fixedTemperature.map({ $0.isFinite && $0 > 0 }) == true else {
            throw CLIError.usage("--temperature must be 'fit' or a positive number, got '\(temperatureText)'", command: command.name)
        }
        let examplesPath = parsed.string("examples") ?? parsed.positionals.first
        let labelsPath = parsed.string("labels")
        guard examplesPath != nil || labelsPath != nil else {
            throw CLIError.usage(
                updating ? "--update needs the file of new examples (or --labels FILE)" : "missing --examples FILE.tsv (or --labels FILE)",
                command: command.name)
        }
        let classifier: FewShotClassifier
        let output: String
        var lock: FileLock?
        if let existing = parsed.string("update") {
            if let out = try parsed.outputPath("output") {
                output = out
            } else {
                try AtomicFile.checkDestination(existing)
                output = existing
            }
            // Held until the new file is written: a concurrent update waits, then reads ours.
            lock = try FileLock(path: existing) { printError("train: waiting for another process updating \(existing)") }
            classifier = try FewShotClassifier.load(existing)
        } else {
            guard let out = try parsed.outputPath("output") else { throw CLIError.usage("missing -o NAME.fsc", command: command.name) }
            classifier = FewShotClassifier(model: try SentenceEncoder.load(try Resources.modelPath(parsed.values["model"])))
            output = out
        }
        let multiLabel = parsed.flag("multi-label") || classifier.multiLabel
        var examples: [(label: String, text: [UInt8])] = []
        var multiLabelExamples: [(labels: [String], text: [UInt8])] = []
        var unusable = 0
        if let examplesPath {
            let file = try LabeledFile(path: examplesPath)
            for bad in file.unusable.prefix(20) { printError("\(examplesPath):\(bad.line): skipped: \(bad.problem.rawValue)") }
            if file.unusable.count > 20 { printError("... and \(file.unusable.count - 20) more unusable lines") }
            guard !file.examples.isEmpty else {
                throw CLIError.runtime("no usable examples in \(examplesPath)", hint: "each line must be label<TAB>text")
            }
            examples = file.examples
            unusable = file.unusable.count
            if multiLabel {
                multiLabelExamples = try zip(file.examples, file.lines).map { example, line in
                    (try MultiLabelField.labels(example.label, path: examplesPath, line: line), example.text)
                }
            }
        }
        if let labelsPath {
            let entries = try LabelDescriptions(path: labelsPath).entries
            examples += entries.map { ($0.label, Array($0.text.utf8)) }
            multiLabelExamples += entries.map { ([$0.label], Array($0.text.utf8)) }
        }
        let start = Date()
        if multiLabel {
            try classifier.addMultiLabel(multiLabelExamples)
        } else {
            try classifier.add(examples)
        }
        if let fixedTemperature { classifier.temperature = fixedTemperature }
        if finetuneSteps > 0 {
            let progress = ProgressLine()
            try classifier.adapt(examples, steps: finetuneSteps, learningRate: finetuneRate) {
                progress.update("train: adapting the encoder", done: $0, total: finetuneSteps, unit: "steps")
            }
            progress.finish()
        }
        try classifier.save(to: output)
        lock?.release()
        let perLabel = classifier.labels.indices.map { "\(classifier.labels[$0]) \(classifier.counts[$0])" }.joined(separator: ", ")
        let summary = String(
            format: "train: %d examples embedded in %.2f s (%d lines skipped); %d labels: %@", examples.count,
            Date().timeIntervalSince(start), unusable, classifier.labels.count, perLabel)
        if classifier.multiLabel {
            let thresholds = classifier.labels.indices.map { String(format: "%@ %.3f", classifier.labels[$0], classifier.thresholds[$0]) }
            printError(
                summary
                    + String(
                        format: "; multi-label thresholds %@; slope %.1f -> %@", thresholds.joined(separator: ", "),
                        classifier.multiLabelSlope,
                        output))
        } else {
            printError(
                summary
                    + String(
                        format: "; softmax temperature %.2f; open-set threshold %@ -> %@", classifier.temperature,
                        classifier.openSetThreshold.map { String(format: "%.3f", $0) } ?? "none (one example per label)", output))
        }
    }
}
