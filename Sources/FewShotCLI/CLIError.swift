/// How a subcommand ends when it cannot do its job: a usage error (exit 2), a runtime error
/// about files or data (exit 1), or a request for help (exit 0).
enum CLIError: Error {
    case usage(String, command: String)
    case runtime(String, hint: String? = nil)
    case help(String)
}
