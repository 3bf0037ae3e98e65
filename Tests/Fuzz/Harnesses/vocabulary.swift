import Tokenization

/// Random `vocab.txt` contents: a vocabulary is made or refused, never a crash; a tokenizer on
/// a usable one gives ids inside it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVocabulary(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let vocabulary = try? Vocabulary(contentsOf: FuzzInput.write(start, count)) else { return 0 }
    guard let tokenizer = try? Tokenizer(vocabulary: vocabulary) else { return 0 }
    let ids = tokenizer.encode("The quick brown fox jumps over the lazy dog, naïvely. 東京 [SEP] ##ing", maxLength: 64)
    precondition(ids.allSatisfy { $0 >= 0 && Int($0) < vocabulary.count }, "id out of range")
    return 0
}
