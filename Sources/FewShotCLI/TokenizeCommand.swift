import Storage
import Tokenization

/// `fewshot tokenize`: WordPiece tokens (or ids) of each input line, one output line per input
/// line, always.
enum TokenizeCommand {
    static let command = Command(
        name: "tokenize",
        summary: "Print the BERT WordPiece tokens of each input line (one output line per input line).",
        usage: "[--vocab FILE] [--ids] [--max-length N] [--no-special] [FILE|-]",
        options: [
            .value("vocab", "FILE", "WordPiece vocabulary (BERT vocab.txt).", default: Resources.defaultVocabularyPath),
            .flag("ids", "Print token ids instead of token strings."),
            .value("max-length", "N", "Truncate to N tokens, counting [CLS] and [SEP] (N >= 2)."),
            .flag("no-special", "Do not add [CLS] and [SEP] (an empty line then gives an empty line)."),
        ],
        discussion: """
            Tokenization is byte-for-byte that of HuggingFace's BertWordPieceTokenizer (lowercase,
            accents stripped, control characters removed, CJK ideographs split) on the same vocab.txt.
            Invalid UTF-8 is dropped, never an error. Reads FILE, or standard input when FILE is - or
            absent; results stream out as lines arrive.

            examples:
              echo "Héllo, wörld!" | fewshot tokenize          # [CLS] hell ##o , world ! [SEP]
              fewshot tokenize --ids --max-length 64 notes.txt
            """,
        positionals: 0...1)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        let vocabularyPath = try Resources.vocabularyPath(try parsed.required("vocab"))
        let maxLength = try parsed.optionalInt("max-length", in: 2...Int(Int32.max))
        let addSpecial = !parsed.flag("no-special")
        let printIDs = parsed.flag("ids")
        let tokenizer = try Tokenizer(vocabularyFile: vocabularyPath)
        let reader = try LineReader(path: parsed.positionals.first)
        let output = standardOutput
        let tokenBytes = tokenizer.vocabulary.tokens.map { Array($0.utf8) }
        var ids: [Int32] = []
        var scratch = Tokenizer.Scratch()
        try reader.forEachLine(willRead: output.flush) { line in
            tokenizer.encode(line, maxLength: maxLength, addSpecialTokens: addSpecial, into: &ids, scratch: &scratch)
            for (position, id) in ids.enumerated() {
                if position > 0 { output.write(byte: 0x20) }
                if printIDs {
                    output.write(decimal: id)
                } else {
                    output.write(bytes: tokenBytes[Int(id)])
                }
            }
            output.endLine()
        }
        try output.flush()
    }
}
