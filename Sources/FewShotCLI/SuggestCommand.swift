import FewShot
import Foundation
import Storage
import Tokenization

/// `fewshot suggest`: which unlabelled lines to label next (active learning).
enum SuggestCommand {
    static let command = Command(
        name: "suggest",
        summary: "Pick the unlabelled lines most worth labelling next: '?<TAB>text' lines to fill in for 'train --update'.",
        usage: "NAME.fsc POOL.txt|- [-n N] [--strategy representative|diverse|margin|random] [--seed S] [--batch N]",
        options: [
            .value("count", short: "n", "N", "How many lines to suggest.", default: "20"),
            .value(
                "strategy", "S",
                "representative (typical of the pool, unlike what is labelled), diverse (uncertain and unlike each other), "
                    + "margin (the most uncertain) or random (the baseline).",
                default: "representative"),
            .value("seed", "S", "The seed of the random strategy's picks and of representative's sample.", default: "0"),
            .value("batch", "N", "Lines encoded together.", default: "64"),
        ],
        discussion: """
            Reads the pool (one unlabelled line per line, a file or standard input) in one pass, in
            memory bounded by -n (by a sample of \(LabelSuggester.representativePool) lines for representative) whatever its
            length, and prints the chosen lines in the order to label them, as
            '?<TAB>text<TAB># guess LABEL P' (the classifier's guess and its probability in a
            comment column). Replace each '?' with the right label and feed the file to 'fewshot
            train --update NAME.fsc FILE': the comment column is ignored, and a line still labelled
            '?' is reported and skipped.

            Strategies: representative (the default) samples \(LabelSuggester.representativePool) lines of the pool
            uniformly and picks, one after the other, the line most like its \(RepresentativeSelection.neighbours) nearest
            neighbours in the sample and least like the classifier's examples and the lines picked
            before it, the smaller margin breaking near-ties: with a few examples per label, a
            typical line teaches a prototype more than an odd one. margin picks the lines whose two
            most probable labels are closest. diverse takes the \(LabelSuggester.poolFactor) × N smallest margins
            and picks the most uncertain line of each guessed label in turn, so one confusing pair
            of labels does not fill the batch. random is the baseline. Lines with no text, lines
            already among the classifier's examples and repeats are never suggested; tabs in a line
            become spaces. 'fewshot eval --active' measures the strategies against random picks
            (models/README.md).

            examples:
              fewshot suggest topics.fsc unlabelled.txt -n 10 > to-label.tsv
              (edit to-label.tsv: replace each ? with its label)
              fewshot train --update topics.fsc to-label.tsv
            """,
        positionals: 2...2)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        let count = try parsed.int("count", in: 1...1_000_000)
        let name = try parsed.required("strategy")
        guard let strategy = LabelSuggester.Strategy(rawValue: name) else {
            throw CLIError.usage("--strategy must be representative, diverse, margin or random, got '\(name)'", command: command.name)
        }
        let seed = try parsed.int("seed", in: 0...Int.max)
        let batchSize = try parsed.int("batch", in: 1...100_000)
        let classifier = try FewShotClassifier.load(parsed.positionals[0])
        guard !classifier.labels.isEmpty else {
            throw CLIError.runtime("\(parsed.positionals[0]) has no labels", hint: "train it with examples first")
        }
        let known = Set(classifier.memory?.fingerprints ?? [])
        let poolName = parsed.positionals[1] == "-" ? "standard input" : parsed.positionals[1]
        let reader = try LineReader(path: parsed.positionals[1] == "-" ? nil : parsed.positionals[1])
        reader.truncatesLongLines = true
        var suggester = LabelSuggester(
            strategy: strategy, count: count, seed: UInt64(seed), labelled: classifier.memory?.embeddings ?? [],
            dimension: classifier.model.dimension)
        var pending: [(id: Int, text: [UInt8])] = []
        var scratch = Tokenizer.Scratch()
        var read = 0, usable = 0
        let progress = ProgressLine()
        func flush() throws {
            guard !pending.isEmpty else { return }
            let tokens = pending.map { item in item.text.withUnsafeBufferPointer { classifier.model.tokenize($0, scratch: &scratch) } }
            try classifier.classify(tokenized: tokens) { line, prediction, embedding in
                let (id, text) = pending[line]
                guard !known.contains(ExampleMemory.fingerprint(text)), let best = prediction.ranked.first else { return }
                usable += 1
                suggester.offer(
                    id: id, margin: LabelSuggester.margin(prediction), text: text, guess: best,
                    embedding: strategy == .representative ? embedding : [])
            }
            pending.removeAll(keepingCapacity: true)
            progress.update("suggest", done: read, total: nil, unit: "lines")
        }
        try reader.forEachLine { line in
            read += 1
            // A trailing CR (a CRLF pool) is not text, as in train's examples: otherwise a stored
            // example or a repeat would come back with a stray character and be suggested again.
            pending.append((read, Array(line.last == 0x0D ? UnsafeBufferPointer(rebasing: line.dropLast()) : line)))
            if pending.count >= batchSize { try flush() }
        }
        try flush()
        progress.finish()
        BadLines.reportCut(reader, command: "suggest")
        let picked = suggester.picked()
        guard !picked.isEmpty else {
            throw CLIError.runtime(
                "\(poolName) has no line to suggest (\(counted(read, "line")) read: none with text that is not already an example)",
                hint: "give a pool of unlabelled lines, one per line")
        }
        let output = standardOutput
        for candidate in picked {
            let guess = candidate.guess
            let text = ClassifyCommand.cell(String(decoding: candidate.text, as: UTF8.self))
            output.write("?\t\(text)\t# guess \(classifier.labels[guess.label]) \(ClassifyCommand.format(guess.probability))")
            output.endLine()
        }
        try output.flush()
        printError(
            "suggest: \(picked.count) picked from \(usable) usable lines (\(read) read; a repeated line is picked once), "
                + "strategy \(strategy.rawValue)")
    }
}
