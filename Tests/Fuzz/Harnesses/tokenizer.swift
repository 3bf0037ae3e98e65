import Storage
import Tokenization

/// Random bytes through the line reader and the tokenizer, as `fewshot tokenize` runs them: never
/// a crash, every id inside the vocabulary, every result framed by [CLS] … [SEP], and exactly one
/// result per line (a final line without a newline is a line; an empty input has none).
let tokenizer = try! Tokenizer(vocabularyFile: "vocab/vocab.txt")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTokenizer(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    let expectedLines =
        bytes.isEmpty ? 0 : bytes.split(separator: 0x0A, omittingEmptySubsequences: false).count - (bytes.last == 0x0A ? 1 : 0)
    var lines = 0
    var ids: [Int32] = []
    var scratch = Tokenizer.Scratch()
    try! LineReader(path: FuzzInput.write(start, count)).forEachLine { line in
        lines += 1
        tokenizer.encode(line, maxLength: 32, into: &ids, scratch: &scratch)
        precondition(ids.count >= 2 && ids.count <= 32, "\(ids.count) ids")
        precondition(ids.first == tokenizer.vocabulary.id(of: "[CLS]") && ids.last == tokenizer.vocabulary.id(of: "[SEP]"))
        precondition(ids.allSatisfy { $0 >= 0 && Int($0) < tokenizer.vocabulary.count }, "id out of range")
    }
    precondition(lines == expectedLines, "\(lines) results for \(expectedLines) lines")
    return 0
}
