/// Random bytes as a `meta-train` log for `fewshot report`: read into step entries (damaged lines
/// skipped and counted), drawn as a page, never a crash.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTrainingLog(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let path = FuzzInput.write(start, count)
    guard let log = try? TrainingLog(path: path) else { return 0 }
    precondition(zip(log.entries, log.entries.dropFirst()).allSatisfy { $0.step < $1.step }, "steps out of order")
    if !log.entries.isEmpty { _ = ReportCommand.page(log, name: "fuzz") }
    return 0
}
