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
        usage:
            "[--model MODEL] [--examples FILE.tsv] [--labels LABELS.tsv] [--no-texts] -o NAME.fsc"
            + " | --update NAME.fsc [MORE.tsv] [--remove FILE.tsv] [--keep-last N] | --rebuild NAME.fsc --model MODEL -o NEW.fsc",
        options: [
            .value(
                "model", "MODEL",
                "The encoder: a shipped model by name (fast: static, fastest; default: 2 layers; accurate: "
                    + "meta-tuned all-MiniLM-L6-v2, slowest), a .safetensors, or a BERT directory.",
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
            .value("remove", "FILE", "With --update: forget these examples (label<TAB>text lines, every stored copy)."),
            .value(
                "keep-last", "N",
                "With --update: keep only each label's N most recent examples (after adding the new ones), a bounded "
                    + "memory for a drifting stream."),
            .flag(
                "no-texts",
                "Store the examples' embeddings but not their texts, for privacy (--remove still works; --rebuild "
                    + "does not). With --update, also drops the texts already stored."),
            .value(
                "rebuild", "NAME.fsc",
                "Embed the examples stored in this classifier again with --model (it needs their texts); writes it "
                    + "back, or to -o."),
            .value(
                "temperature", "T",
                "Softmax temperature of the probabilities: 'fit' fits it leave-one-out on the examples (labels "
                    + "with 2+ examples; otherwise 8), or a fixed number (kept through later updates and merges).",
                default: "fit"),
            .value(
                "lexical", "W",
                "Weight of words beside meaning: scores are cos(embedding, prototype) + W · cos(TF-IDF, TF-IDF prototype), "
                    + "with the IDF stored in the model ('model': the weight chosen for it on validation topics; 0: the "
                    + "embeddings alone). Kept through updates; --no-texts drops the word vectors and with them the words.",
                default: "model"),
        ]
            + AdaptationOptions.options(
                steps: "Adapt the encoder to these examples first: N full-batch steps of --finetune-loss (0 = frozen "
                    + "encoder; 30 is a good start). Not given, a model meta-trained for a per-task update ('meta-train "
                    + "--method protomaml') makes its own, in every classifier."),
        discussion: """
            Each label's prototype is the mean of its examples' embeddings. With --finetune-steps N the
            encoder is first adapted to the examples (N full-batch steps of --finetune-loss, the
            embedding tables frozen), and kept only where that pays (--finetune-choice auto): the
            examples are dealt into folds, the encoder adapted without each fold in turn, and the
            held-out examples classified with and without the update; train says which encoder it
            kept and why, and a kept one is fitted on those held-out scores, since examples the encoder
            was trained on would make the probabilities overconfident. A kept encoder drops the
            model's background topics (the open-set score then is the best score alone), and the file
            stores the weights it changed in F32, the others as the model stores them.
            models/README.md has what it gains by genre and what it costs in seconds. The file keeps
            its examples' embeddings, so --update adds examples (embedded with the classifier's
            encoder) without re-embedding the old ones; for a classifier trained without adaptation
            the result equals training on the union.
            Lines without a tab or with an empty text are reported as file:line and skipped.

            A memory that can forget: the file keeps its examples (embeddings, and texts unless
            --no-texts), so --update --remove FILE forgets examples, --update --keep-last N caps each
            label at its N most recent ones, and --rebuild re-embeds everything with another encoder;
            each gives the classifier trained on the examples that remain, with the probabilities
            fitted on all of them. Files written by fewshot before it kept examples still load,
            classify and test, but cannot change.

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
              fewshot train --update topics.fsc --remove retracted.tsv --keep-last 200
              fewshot train --rebuild topics.fsc --model accurate -o topics-accurate.fsc
            """,
        positionals: 0...1)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        if let source = parsed.string("rebuild") { return try rebuild(source, parsed) }
        try checkCombinations(parsed)
        let (classifier, output, lock) = try open(parsed)
        let start = Date()
        let (examples, skipped) = try readExamples(parsed, multiLabel: parsed.flag("multi-label") || classifier.isMultiLabel)
        try change(classifier, adding: examples, parsed)
        try classifier.save(to: output)
        lock?.release()
        let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
        let summary =
            "train: \(counted(examples.count, "example")) embedded in \(seconds) s (\(counted(skipped, "line")) skipped); "
            + labelSummary(classifier)
        printFits(summary, classifier, output)
    }

    /// Refuses combinations of options that cannot work together, before any work is done.
    static func checkCombinations(_ parsed: ParsedArguments) throws {
        let updating = parsed.given("update")
        for option in ["remove", "keep-last"] where !updating && parsed.given(option) {
            throw CLIError.usage("--\(option) changes an existing classifier: use it with --update NAME.fsc", command: command.name)
        }
        if updating && parsed.given("model") {
            throw CLIError.usage(
                "--update keeps the classifier's own encoder; to embed its examples with another, use --rebuild NAME.fsc "
                    + "--model MODEL -o NEW.fsc", command: command.name)
        }
        if updating && parsed.given("finetune-steps") {
            throw CLIError.usage(
                "--finetune-steps adapts to all examples at once; it cannot be combined with --update (train afresh on the union)",
                command: command.name)
        }
        if try parsed.flag("multi-label") && parsed.int("finetune-steps", in: 0...100_000) > 0 {
            throw CLIError.usage(
                "--finetune-steps adapts a single-label classifier; it cannot be combined with --multi-label", command: command.name)
        }
        _ = try parsed.optionalInt("keep-last", in: 1...Int(Int32.max))
        _ = try AdaptationOptions(parsed, command: command)
        _ = try fixedTemperature(parsed)
        _ = try lexicalWeight(parsed, model: nil)
        let changes = ["examples", "labels", "remove", "keep-last"] + (updating ? ["no-texts"] : [])
        guard !parsed.positionals.isEmpty || changes.contains(where: parsed.given) else {
            throw CLIError.usage(
                updating ? "--update needs the file of new examples (or --labels FILE)" : "missing --examples FILE.tsv (or --labels FILE)",
                command: command.name)
        }
    }

    /// The classifier to change (the --update file, or a new one on --model), where it goes,
    /// and the lock held on an updated file until the new one is written.
    static func open(_ parsed: ParsedArguments) throws -> (FewShotClassifier, output: String, lock: FileLock?) {
        guard let existing = parsed.string("update") else {
            guard let output = try parsed.outputPath("output") else { throw CLIError.usage("missing -o NAME.fsc", command: command.name) }
            let model = try SentenceEncoder.load(try Resources.modelPath(try parsed.required("model")))
            return (FewShotClassifier(model: model, keepsTexts: !parsed.flag("no-texts")), output, nil)
        }
        let (output, lock) = try openForChange(existing, parsed)
        let classifier = try FewShotClassifier.load(existing)
        _ = try classifier.requireMemory()
        return (classifier, output, lock)
    }

    /// The examples of --examples (or the positional file) and --labels, each with its label
    /// list (one label unless multi-label), and how many lines were skipped.
    static func readExamples(_ parsed: ParsedArguments, multiLabel: Bool) throws -> ([(labels: [String], text: [UInt8])], skipped: Int) {
        var examples: [(labels: [String], text: [UInt8])] = []
        var skipped = 0
        if let path = parsed.string("examples") ?? parsed.positionals.first {
            let file = try LabeledFile(path: path)
            BadLines.report(skipped: file.unusable, in: path)
            guard !file.examples.isEmpty else {
                throw CLIError.runtime("no usable examples in \(path)", hint: "each line must be label<TAB>text")
            }
            examples = try zip(file.examples, file.lines).map { example, line in
                (multiLabel ? try MultiLabelField.labels(example.label, path: path, line: line) : [example.label], example.text)
            }
            skipped = file.unusable.count
        }
        if let path = parsed.string("labels") {
            examples += try LabelDescriptions(path: path).entries.map { ([$0.label], Array($0.text.utf8)) }
        }
        return (examples, skipped)
    }

    /// Applies the options in order: the temperature, --remove, the new examples, --keep-last,
    /// the adaptation, --no-texts.
    static func change(_ classifier: FewShotClassifier, adding examples: [(labels: [String], text: [UInt8])], _ parsed: ParsedArguments)
        throws
    {
        // An explicit --temperature holds from now on, through updates and merges; 'fit' releases it.
        if parsed.given("temperature") { try classifier.fixTemperature(try fixedTemperature(parsed)) }
        if let weight = try lexicalWeight(parsed, model: classifier.model) { try classifier.setLexicalWeight(weight) }
        if let removePath = parsed.string("remove") { try remove(removePath, from: classifier) }
        if parsed.flag("multi-label") || classifier.isMultiLabel {
            if !examples.isEmpty { try classifier.addMultiLabel(examples) }
        } else if !examples.isEmpty {
            try classifier.add(examples.map { ($0.labels[0], $0.text) })
        }
        if let keepLast = try parsed.optionalInt("keep-last", in: 1...Int(Int32.max)) {
            let dropped = try classifier.keepLast(keepLast)
            printError("train: --keep-last \(keepLast) dropped \(dropped) older examples")
        }
        guard !classifier.labels.isEmpty else {
            throw CLIError.runtime("no examples would be left in the classifier; nothing written", hint: "keep at least one example")
        }
        let adaptation = try AdaptationOptions(parsed, command: command, trainedUpdate: trainedUpdate(of: classifier, parsed))
        if adaptation.fromModel {
            printError(
                "train: \(classifier.model.path) was meta-trained for a per-task update: adapting the encoder to these examples "
                    + "(--finetune-steps 0: its prototypes as they are)")
        }
        if adaptation.settings.steps > 0 { try adapt(classifier, adaptation) }
        if parsed.flag("no-texts") { classifier.forgetTexts() }
    }

    /// The update the classifier's model was meta-trained for, when this run should make it: a
    /// new single-label classifier (--update keeps the classifier's encoder as it is). A
    /// multi-label one cannot adapt, which is said.
    static func trainedUpdate(of classifier: FewShotClassifier, _ parsed: ParsedArguments) -> TrainedUpdate? {
        guard let update = classifier.model.trainedUpdate, !parsed.given("update"), !parsed.given("finetune-steps") else { return nil }
        guard !classifier.isMultiLabel else {
            printError(
                "train: \(classifier.model.path) was meta-trained for a per-task update, which a multi-label classifier cannot "
                    + "make: its labels are scored by the prototypes as they are")
            return nil
        }
        return update
    }

    /// Adapts the encoder and says what the check found and which encoder the classifier kept.
    static func adapt(_ classifier: FewShotClassifier, _ adaptation: AdaptationOptions) throws {
        let progress = ProgressLine()
        let total = classifier.adaptationSteps(adaptation.settings)
        let started = Date()
        let background = classifier.model.background
        let (check, kept) = try classifier.adapt(adaptation.settings, choice: adaptation.choice) {
            progress.update("train: adapting the encoder", done: $0, total: total, unit: "steps")
        }
        progress.finish()
        let seconds = String(format: "%.1f s", Date().timeIntervalSince(started))
        // Said last, after which encoder was kept.
        defer {
            if kept, let background {
                printError(
                    "train: the adapted encoder drops the model's \(background.count) background topics (the encoder before the "
                        + "update embedded them): its open-set score is the best score alone")
            }
        }
        guard let check else {
            printError(
                kept
                    ? "train: adapted the encoder (\(adaptation.settings.summary), \(seconds)); no label has two examples, so nothing "
                        + "was held out to check it and the probabilities keep the plain fit"
                    : "train: kept the encoder as it is: no label has two examples to check the adaptation on")
            return
        }
        let found =
            "held out in \(counted(check.folds, "fold")), \(counted(check.checked, "example")): \(check.adaptedCorrect) correct adapted, "
            + "\(check.plainCorrect) as it is"
        if kept {
            printError("train: kept the adapted encoder (\(adaptation.settings.summary), \(seconds)); \(found)")
        } else {
            printError(
                "train: kept the encoder as it is: adaptation did not classify \(AdaptationCheck.requiredGain) more held-out "
                    + "examples correctly (\(found); "
                    + "\(seconds)); --finetune-choice always keeps it anyway")
        }
    }

    /// "N labels: a 3, b 5; E examples stored (with texts)".
    static func labelSummary(_ classifier: FewShotClassifier) -> String {
        let perLabel = classifier.labels.indices.map { "\(classifier.labels[$0]) \(classifier.counts[$0])" }.joined(separator: ", ")
        let stored: String
        switch classifier.memory {
        case nil: stored = "no examples stored"
        case let memory? where memory.texts == nil: stored = "\(counted(memory.count, "example")) stored without texts"
        case let memory?: stored = "\(counted(memory.count, "example")) stored with texts"
        }
        return "\(counted(classifier.labels.count, "label")): \(perLabel); \(stored)"
    }

    /// Prints the summary with what was fitted: the temperature and open-set threshold, or the
    /// multi-label thresholds.
    static func printFits(_ summary: String, _ classifier: FewShotClassifier, _ output: String) {
        let fit = classifier.fit
        let words = classifier.activeLexicalWeight.map { String(format: "; lexical weight %.2f", $0) } ?? "; embeddings alone"
        let summary = summary + words
        if let multiLabel = fit.multiLabel {
            let thresholds = classifier.labels.indices.map { String(format: "%@ %.3f", classifier.labels[$0], multiLabel.thresholds[$0]) }
            printError(
                summary
                    + String(
                        format: "; multi-label thresholds %@; slope %.1f -> %@", thresholds.joined(separator: ", "), multiLabel.slope,
                        output))
        } else {
            printError(
                summary
                    + String(
                        format: "; softmax temperature %.2f; open-set threshold %@%@ -> %@", fit.temperature,
                        fit.openSetThreshold.map { String(format: "%.3f", $0) }
                            ?? (classifier.labels.count < 2
                                ? "none (one label: nothing to score its examples against)"
                                : "none (one example per label)"),
                        fit.openSetThreshold == nil ? "" : backgroundNote(classifier), output))
        }
    }

    /// What the open-set score subtracts, when the encoder has background topics.
    static func backgroundNote(_ classifier: FewShotClassifier) -> String {
        guard let background = classifier.model.background, background.weight > 0 else { return "" }
        return String(format: " (on the best score less %.2f × the closeness to %d background topics)", background.weight, background.count)
    }

    /// `--remove FILE`: forgets the examples it lists, naming the lines that matched nothing.
    static func remove(_ path: String, from classifier: FewShotClassifier) throws {
        let file = try LabeledFile(path: path)
        BadLines.report(skipped: file.unusable, in: path)
        let requests = try zip(file.examples, file.lines).map { example, line in
            (
                labels: classifier.isMultiLabel ? try MultiLabelField.labels(example.label, path: path, line: line) : [example.label],
                text: example.text
            )
        }
        let touched = try classifier.forget(requests)
        let unmatched = touched.indices.filter { touched[$0] == 0 }
        BadLines.report(
            unmatched.map { (path, file.lines[$0], "no such example in the classifier") }, kind: "lines that matched no example")
        printError(
            "train: --remove forgot \(counted(touched.reduce(0, +), "stored example")) "
                + "(\(counted(requests.count - unmatched.count, "line")) matched)")
    }

    /// Where a changed classifier goes (-o, or back over `source`, which must then be a regular
    /// file), and the lock on `source`, held until the new file is written: a concurrent
    /// --update or --rebuild waits, then reads ours.
    static func openForChange(_ source: String, _ parsed: ParsedArguments) throws -> (output: String, lock: FileLock) {
        let output: String
        if let out = try parsed.outputPath("output", mayReplace: ["update", "rebuild"]) {
            output = out
        } else {
            try AtomicFile.checkDestination(source)
            output = source
        }
        return (output, try FileLock(path: source) { printError("train: waiting for another process updating \(source)") })
    }

    /// `--rebuild NAME.fsc --model MODEL`: the stored examples embedded again with another encoder.
    static func rebuild(_ source: String, _ parsed: ParsedArguments) throws {
        for option in ["update", "examples", "labels", "remove", "keep-last", "finetune-steps"] where parsed.given(option) {
            throw CLIError.usage(
                "--rebuild re-embeds the stored examples only; --\(option) goes in a separate train run", command: command.name)
        }
        _ = try lexicalWeight(parsed, model: nil)
        guard parsed.positionals.isEmpty else {
            throw CLIError.usage("--rebuild takes no examples file; add them with --update afterwards", command: command.name)
        }
        guard parsed.given("model") else {
            throw CLIError.usage("--rebuild needs --model, the encoder to embed the stored examples with", command: command.name)
        }
        let (output, lock) = try openForChange(source, parsed)
        let old = try FewShotClassifier.load(source)
        let start = Date()
        let rebuilt = try old.rebuilt(with: try SentenceEncoder.load(try Resources.modelPath(try parsed.required("model"))))
        if rebuilt.model.trainedUpdate != nil {
            printError(
                "train: \(rebuilt.model.path) was meta-trained for a per-task update, which --rebuild does not make (it embeds the "
                    + "stored examples again): train afresh from the examples to make it")
        }
        if parsed.given("temperature") { try rebuilt.fixTemperature(try fixedTemperature(parsed)) }
        if let weight = try lexicalWeight(parsed, model: rebuilt.model) { try rebuilt.setLexicalWeight(weight) }
        if parsed.flag("no-texts") { rebuilt.forgetTexts() }
        try rebuilt.save(to: output)
        lock.release()
        let seconds = String(format: "%.2f", Date().timeIntervalSince(start))
        let summary =
            "train: \(counted(rebuilt.memory?.count ?? 0, "stored example")) embedded again in \(seconds) s; " + labelSummary(rebuilt)
        printFits(summary, rebuilt, output)
    }

    /// The --lexical option: nil to keep the classifier's weight (the option not given), else
    /// the weight to set ('model': the one stored with the encoder).
    static func lexicalWeight(_ parsed: ParsedArguments, model: SentenceEncoder?) throws -> Float? {
        let text = try parsed.required("lexical")
        if text == "model" { return parsed.given("lexical") ? model?.lexicon?.weight ?? 0 : nil }
        guard let value = Float(text), value.isFinite, (0...100).contains(value) else {
            throw CLIError.usage("--lexical must be 'model' or a weight from 0 to 100, got '\(text)'", command: command.name)
        }
        return value
    }

    /// The --temperature option: nil for 'fit', else the fixed positive number.
    static func fixedTemperature(_ parsed: ParsedArguments) throws -> Float? {
        let text = try parsed.required("temperature")
        if text == "fit" { return nil }
        guard let value = Float(text), value.isFinite, value > 0 else {
            throw CLIError.usage("--temperature must be 'fit' or a positive number, got '\(text)'", command: command.name)
        }
        return value
    }
}
