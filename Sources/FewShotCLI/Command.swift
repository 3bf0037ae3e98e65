/// A subcommand's declaration: its name, synopsis, options and help text, from which both the
/// parser and `--help` work.
struct Command {
    let name: String
    let summary: String
    /// The synopsis after `fewshot NAME`, e.g. `[--ids] [FILE|-]`.
    let usage: String
    let options: [Option]
    /// Longer explanation and examples for `--help`.
    let discussion: String
    /// Bounds on the number of positional arguments.
    let positionals: ClosedRange<Int>

    var helpText: String {
        var lines = ["usage: fewshot \(name) \(usage)", "", summary]
        if !discussion.isEmpty { lines += ["", discussion] }
        let allOptions = options + [.flag("help", short: "h", "Show this help.")]
        lines += ["", "options:"]
        let labels = allOptions.map { option -> String in
            var label = option.short.map { "-\($0), " } ?? "    "
            label += "--\(option.name)"
            if let valueName = option.valueName { label += " \(valueName)" }
            return label
        }
        let width = (labels.map(\.count).max() ?? 0) + 2
        for (option, label) in zip(allOptions, labels) {
            var text = option.help
            if let defaultValue = option.defaultValue { text += " (default: \(defaultValue))" }
            lines.append("  " + label.padding(toLength: width, withPad: " ", startingAt: 0) + text)
        }
        return lines.joined(separator: "\n")
    }
}
