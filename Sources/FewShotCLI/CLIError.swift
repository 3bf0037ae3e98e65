/// How a subcommand ends when it cannot do its job: a usage error (exit 2), a runtime error
/// about files or data (exit 1), a request for help (exit 0), or Ctrl-C after the command saved
/// what it could (exit 130, as a shell reports a process ended by SIGINT, so that scripts can
/// tell an interrupted run from a finished one).
enum CLIError: Error {
    case usage(String, command: String)
    case runtime(String, hint: String? = nil)
    case help(String)
    case interrupted(String)
}
