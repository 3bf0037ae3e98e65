import Corpus

/// Random bytes as the text files users give: a `label<TAB>text` file, a split file and a label
/// description file are each read or refused with a file:line error, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLabeledFiles(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let path = FuzzInput.write(start, count)
    if let file = try? LabeledFile(path: path) {
        precondition(file.examples.allSatisfy { !$0.label.isEmpty && !$0.text.isEmpty }, "an unusable line was kept")
    }
    _ = try? SplitFile.read(path)
    _ = try? LabelDescriptions(path: path)
    return 0
}
