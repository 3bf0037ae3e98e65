import Corpus
import FewShot
import Foundation
import Storage
import Tokenization
import Transformer

/// `fewshot index`: tokenize labelled corpora once into a memory-mappable index.
enum IndexCommand {
    static let command = Command(
        name: "index",
        summary: "Tokenize label<TAB>text corpora into an index (.fsi) for meta-training and evaluation.",
        usage: "[--vocab FILE] [--max-length N] [--default-split S] CORPUS.tsv... -o FILE.fsi | --info FILE.fsi",
        options: [
            .value("output", short: "o", "FILE", "The index to write (atomically)."),
            .value("vocab", "FILE", "WordPiece vocabulary.", default: Resources.defaultVocabularyPath),
            .value("max-length", "N", "Keep at most N tokens per example, [CLS] and [SEP] included.", default: "64"),
            .value("default-split", "S", "Split (train, val or test) of labels in a corpus with no split file.", default: "train"),
            .value("info", "FILE", "Print what an index holds instead of building one."),
        ],
        discussion: """
            Each corpus's family is its file name without extension; the split of each label comes from
            the split file beside it (domains.tsv -> domains.split, lines label<TAB>train|val|test). A
            corpus without one puts every label in --default-split. Lines without a tab or with an empty
            text are reported as file:line and skipped; nothing else is dropped. A label listed twice
            with two splits, two corpora of one family name, and a corpus with no usable line are
            errors. (An index of test labels only evaluates encoders; TF-IDF, eval's default model,
            fits its IDF on train labels.)

            examples:
              fewshot index corpora/*.tsv -o corpora.fsi
              fewshot index mine.tsv --default-split test -o mine.fsi   # then: fewshot eval --model default --index mine.fsi
              fewshot index --info corpora.fsi
            """,
        positionals: 0...Int.max)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        if let info = parsed.string("info") {
            guard parsed.positionals.isEmpty, !parsed.given("output") else {
                throw CLIError.usage("--info reads an index: it takes no corpora and no -o", command: command.name)
            }
            try printInfo(try CorpusIndex(path: info))
            return
        }
        guard !parsed.positionals.isEmpty else { throw CLIError.usage("no corpus given", command: command.name) }
        guard let output = try parsed.outputPath("output") else { throw CLIError.usage("missing -o FILE.fsi", command: command.name) }
        guard let splitName = parsed.string("default-split"), let defaultSplit = Split(rawValue: splitName) else {
            throw CLIError.usage("--default-split must be train, val or test", command: command.name)
        }
        let maxLength = try parsed.int("max-length", in: 2...100_000)
        let tokenizer = try Tokenizer(vocabularyFile: try Resources.vocabularyPath(try parsed.required("vocab")))
        let builder = CorpusIndexBuilder(
            tokenizer: tokenizer, maxLength: maxLength, defaultSplit: defaultSplit, threads: Parallel.threads)
        let start = Date()
        let progress = ProgressLine()
        let summary = try builder.build(parsed.positionals, to: output) { progress.update($0) }
        progress.finish()
        BadLines.report(summary.unusable.map { ($0.file, $0.line, "skipped: " + $0.problem.rawValue) })
        let seconds = String(format: "%.1f", Date().timeIntervalSince(start))
        printError(
            "index: \(sizes(examples: summary.examples, labels: summary.labels, tokens: summary.tokens)) "
                + "(\(summary.truncated) truncated to \(maxLength)), "
                + "\(counted(summary.unusable.count, "unusable line")) skipped, \(seconds) s -> \(output)")
    }

    /// "12 examples, 3 labels, 140 tokens": an index's size, as building it and --info say it.
    static func sizes(examples: Int, labels: Int, tokens: Int) -> String {
        [counted(examples, "example"), counted(labels, "label"), counted(tokens, "token")].joined(separator: ", ")
    }

    static func printInfo(_ index: CorpusIndex) throws {
        print(
            "index \(index.path): format \(CorpusIndex.version), vocabulary \(index.vocabularyFingerprint), max length \(index.maxLength)")
        print(sizes(examples: index.exampleCount, labels: index.labels.count, tokens: index.tokenCount))
        print("")
        print("| family | split | labels | examples |")
        print("|---|---|---|---|")
        for family in index.families {
            for split in Split.allCases {
                let labels = index.labelIDs(split: split, family: family)
                guard !labels.isEmpty else { continue }
                let examples = labels.reduce(0) { $0 + index.examplesByLabel[$1].count }
                print("| \(family) | \(split.rawValue) | \(labels.count) | \(examples) |")
            }
        }
        print("")
        print("| family | split | label | examples |")
        print("|---|---|---|---|")
        for (id, label) in index.labels.enumerated() {
            print("| \(label.family) | \(label.split.rawValue) | \(label.name) | \(index.examplesByLabel[id].count) |")
        }
    }
}
