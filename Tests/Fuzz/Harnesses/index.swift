import Corpus

/// Random bytes as a corpus index (.fsi): loaded or refused, never a crash; every example of an
/// index that loads can be read.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzIndex(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    guard let index = try? CorpusIndex(path: FuzzInput.write(start, count)) else { return 0 }
    for example in 0..<index.exampleCount {
        _ = index.tokens(of: example).reduce(0, &+)
        _ = index.text(of: example).count
        _ = index.label(of: example)
    }
    for label in index.examplesByLabel.indices { _ = index.examplesByLabel[label].count }
    return 0
}
