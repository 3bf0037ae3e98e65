import Foundation
import Storage

/// A command line parsed against a `Command`: option values, flags and positionals, with
/// typed getters that fall back to the declared defaults.
struct ParsedArguments {
    let command: Command
    private var values: [String: String] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []

    init(_ arguments: [String], for command: Command) throws {
        self.command = command
        var index = 0
        var optionsEnded = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if optionsEnded || argument == "-" || !argument.hasPrefix("-") {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                optionsEnded = true
                continue
            }
            var name: String
            var inlineValue: String?
            if argument.hasPrefix("--") {
                name = String(argument.dropFirst(2))
                if let equals = name.firstIndex(of: "=") {
                    inlineValue = String(name[name.index(after: equals)...])
                    name = String(name[..<equals])
                }
            } else {
                guard argument.count == 2, let short = argument.last,
                    let option = command.options.first(where: { $0.short == short }) ?? (short == "h" ? Option.flag("help", "") : nil)
                else {
                    throw CLIError.usage("unknown option '\(argument)'", command: command.name)
                }
                name = option.name
            }
            if name == "help" { throw CLIError.help(command.helpText) }
            guard let option = command.options.first(where: { $0.name == name }) else {
                throw CLIError.usage("unknown option '--\(name)'", command: command.name)
            }
            if option.valueName == nil {
                if inlineValue != nil { throw CLIError.usage("--\(name) takes no value", command: command.name) }
                flags.insert(name)
            } else if let inlineValue {
                values[name] = inlineValue
            } else {
                guard index < arguments.count else {
                    throw CLIError.usage("--\(name) needs a value (\(option.valueName!))", command: command.name)
                }
                values[name] = arguments[index]
                index += 1
            }
        }
        guard command.positionals.contains(positionals.count) else {
            let expected =
                command.positionals.lowerBound == command.positionals.upperBound
                ? "\(command.positionals.lowerBound)" : "\(command.positionals.lowerBound) to \(command.positionals.upperBound)"
            throw CLIError.usage("expected \(expected) argument(s), got \(positionals.count)", command: command.name)
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    /// Whether the user gave this option or flag (its declared default does not count).
    func given(_ name: String) -> Bool { values[name] != nil || flags.contains(name) }

    /// The option's value, or its declared default; nil when neither exists.
    func string(_ name: String) -> String? {
        values[name] ?? command.options.first(where: { $0.name == name })?.defaultValue
    }

    /// The option's value or its declared default; a usage error names a missing one.
    func required(_ name: String) throws -> String {
        guard let text = string(name) else {
            let option = command.options.first(where: { $0.name == name })
            throw CLIError.usage(
                "missing \(spelling(of: name)) \(option?.valueName ?? "")".trimmingCharacters(in: .whitespaces), command: command.name)
        }
        return text
    }

    /// An output file option, checked before any work is done: a path where something other
    /// than a regular file exists is refused (`AtomicFile.checkDestination`), and so is one
    /// that is also an input of the command (`checkNotAnInput`), except the inputs named in
    /// `mayReplace` (option names, or "positionals") that the output is meant to replace.
    func outputPath(_ name: String, mayReplace: Set<String> = []) throws -> String? {
        guard let path = string(name) else { return nil }
        try checkOutput(path, spelledAs: spelling(of: name), mayReplace: mayReplace.union([name]))
        return path
    }

    /// `checkDestination`, then `checkNotAnInput`.
    func checkOutput(_ path: String, spelledAs option: String, mayReplace: Set<String> = []) throws {
        guard !path.isEmpty else { throw CLIError.usage("\(option) needs the path of a file, got an empty one", command: command.name) }
        guard path != "-" else {
            throw CLIError.usage(
                "\(option) - : this output is a file, not standard output; give its path (./- for a file named '-')", command: command.name)
        }
        try AtomicFile.checkDestination(path)
        try checkNotAnInput(path, spelledAs: option, mayReplace: mayReplace)
    }

    /// Refuses an output that is the same file as a positional argument or an option's value
    /// (`test s.fsc s.tsv --report s.fsc` would replace the classifier by a web page; `index
    /// c.tsv -o c.tsv` the corpus by its index) unless that input is in `mayReplace`.
    func checkNotAnInput(_ path: String, spelledAs option: String, mayReplace: Set<String> = []) throws {
        var output = stat()
        guard stat(path, &output) == 0 else { return }
        let inputs =
            (mayReplace.contains("positionals") ? [] : positionals.map { ("argument", $0) })
            + values.filter { !mayReplace.contains($0.key) }.sorted { $0.key < $1.key }.map { (spelling(of: $0.key), $0.value) }
        for (source, input) in inputs {
            var info = stat()
            guard stat(input, &info) == 0, info.st_dev == output.st_dev, info.st_ino == output.st_ino else { continue }
            throw CLIError.usage(
                "\(option) \(path) is the file read as \(source) \(input): writing it would destroy that input; give another path",
                command: command.name)
        }
    }

    /// How the user spells an option: -o for output, --NAME otherwise.
    func spelling(of name: String) -> String {
        command.options.first(where: { $0.name == name })?.short.map { "-\($0)" } ?? "--\(name)"
    }

    /// An integer option (its value or default) within `range`.
    func int(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        try parseInt(name, try required(name), in: range)
    }

    /// An integer option that may be absent (no default).
    func optionalInt(_ name: String, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int? {
        try string(name).map { try parseInt(name, $0, in: range) }
    }

    /// The one list parser: the option's comma-separated items (its value or default), each
    /// read by `item`; an empty item is refused by `item` like any other bad one.
    func list<Item>(_ name: String, _ item: (String) throws -> Item) throws -> [Item] {
        try required(name).split(separator: ",", omittingEmptySubsequences: false).map {
            try item(String($0).trimmingCharacters(in: .whitespaces))
        }
    }

    /// A comma-separated list of integers within `range`, e.g. "1,2".
    func intList(_ name: String, in range: ClosedRange<Int>) throws -> [Int] {
        try list(name) { try parseInt(name, $0, in: range) }
    }

    /// A comma-separated list of finite numbers, e.g. "0,0.5,1".
    func doubleList(_ name: String) throws -> [Double] {
        try list(name) { try parseDouble(name, $0) }
    }

    /// A finite number (its value or default).
    func double(_ name: String) throws -> Double {
        try parseDouble(name, try required(name))
    }

    /// A finite number that may be absent (no default).
    func optionalDouble(_ name: String) throws -> Double? {
        try string(name).map { try parseDouble(name, $0) }
    }

    private func parseInt(_ name: String, _ text: String, in range: ClosedRange<Int>) throws -> Int {
        guard let value = Int(text) else {
            throw CLIError.usage("--\(name) expects an integer, got '\(text)'", command: command.name)
        }
        guard range.contains(value) else {
            throw CLIError.usage("--\(name) must be in \(range.lowerBound)...\(range.upperBound), got \(value)", command: command.name)
        }
        return value
    }

    private func parseDouble(_ name: String, _ text: String) throws -> Double {
        guard let value = Double(text), value.isFinite else {
            throw CLIError.usage("--\(name) expects a number, got '\(text)'", command: command.name)
        }
        return value
    }
}
