import Foundation
import Storage
import Tokenization

/// `fewshot vocab`: learn a WordPiece vocabulary from text.
enum VocabCommand {
    static let command = Command(
        name: "vocab",
        summary: "Learn a WordPiece vocabulary (vocab.txt) from text.",
        usage: "--size N [--tsv] [--min-frequency N] [--limit-alphabet N] [FILE...|-] -o vocab.txt",
        options: [
            .value("size", "N", "Number of tokens, including [PAD] [UNK] [CLS] [SEP] [MASK].", default: "8192"),
            .value("output", short: "o", "FILE", "Where to write the vocabulary (atomically)."),
            .flag("tsv", "Inputs are label<TAB>text files: learn from the text column only."),
            .value("min-frequency", "N", "Stop merging when the best pair occurs fewer times.", default: "2"),
            .value("limit-alphabet", "N", "Keep at most N distinct characters (the most frequent).", default: "1000"),
        ],
        discussion: """
            Text is normalized and split into words exactly as 'fewshot tokenize' does, then
            byte-pair merges build word pieces, '##' marking pieces that continue a word (the
            algorithm of HuggingFace's WordPiece trainer, but a character seen only inside words
            gets only its '##' form). The same input and options always give the same file. Reads
            the FILEs in order, or standard input.

            example:
              fewshot vocab --size 8192 --tsv corpora/domains.tsv -o vocab.txt
            """,
        positionals: 0...Int.max)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        guard let output = try parsed.outputPath("output") else {
            throw CLIError.usage("missing -o FILE (where to write vocab.txt)", command: command.name)
        }
        let size = try parsed.int("size", in: 6...10_000_000)
        var trainer = WordPieceTrainer(
            vocabularySize: size,
            minFrequency: try parsed.int("min-frequency", in: 1...Int.max),
            limitAlphabet: try parsed.int("limit-alphabet", in: 1...Int.max))
        let takeTextColumn = parsed.flag("tsv")
        let inputs = parsed.positionals.isEmpty ? ["-"] : parsed.positionals
        var lines = 0
        for input in inputs {
            let reader = try LineReader(path: input)
            try reader.forEachLine { line in
                lines += 1
                if takeTextColumn {
                    guard let tab = line.firstIndex(of: 0x09) else { return }
                    trainer.add(line: UnsafeBufferPointer(rebasing: line[(tab + 1)...]))
                } else {
                    trainer.add(line: line)
                }
            }
        }
        printError("vocab: \(lines) lines, \(trainer.distinctWords) distinct words; merging...")
        let vocabulary = trainer.train()
        try vocabulary.write(to: output)
        printError("vocab: wrote \(vocabulary.count) tokens to \(output)")
    }
}
