/// A small typed command-line parser: each subcommand declares its options once, and that
/// declaration drives parsing, defaults, and `--help`.
///
/// Accepted forms: `--name value`, `--name=value`, `-o value`, flags without a value,
/// `--` to end options, and `-` as a positional (standard input).
struct Option {
    let name: String
    let short: Character?
    /// The placeholder shown in help (`N`, `FILE`); nil for a flag.
    let valueName: String?
    let help: String
    /// Shown in help and returned when the option is absent.
    let defaultValue: String?

    static func flag(_ name: String, short: Character? = nil, _ help: String) -> Option {
        Option(name: name, short: short, valueName: nil, help: help, defaultValue: nil)
    }

    static func value(_ name: String, short: Character? = nil, _ valueName: String, _ help: String, default defaultValue: String? = nil)
        -> Option
    {
        Option(name: name, short: short, valueName: valueName, help: help, defaultValue: defaultValue)
    }
}
