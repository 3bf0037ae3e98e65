/// Random command lines against every command's real declaration: the first byte picks the
/// command, the rest is split at NUL bytes into arguments. Parsing and every typed getter
/// either give a value or throw a `CLIError`, never crash; `--help` text renders.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArguments(_ start: UnsafeRawPointer, _ count: Int) -> CInt {
    let bytes = FuzzInput.bytes(start, count)
    guard let first = bytes.first else { return 0 }
    MainActor.assumeIsolated {
        let command = commands[Int(first) % commands.count].command
        let arguments = bytes.dropFirst().split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        _ = command.helpText
        guard let parsed = try? ParsedArguments(arguments, for: command) else { return }
        for option in command.options {
            _ = parsed.flag(option.name)
            _ = parsed.string(option.name)
            _ = try? parsed.optionalInt(option.name, in: 0...1000)
            _ = try? parsed.optionalDouble(option.name)
        }
    }
    return 0
}
