import Foundation
import Tokenization

/// The subcommands, in the order `fewshot --help` lists them.
let commands: [(command: Command, run: ([String]) throws -> Void)] = [
    (TokenizeCommand.command, TokenizeCommand.run),
    (VocabCommand.command, VocabCommand.run),
    (BenchCommand.command, BenchCommand.run),
]

@MainActor func mainUsage() -> String {
    let width = (commands.map(\.command.name.count).max() ?? 0) + 2
    var lines = [
        "usage: fewshot <command> [options]", "",
        "A few-shot text classifier that learns to learn.", "", "commands:",
    ]
    for (command, _) in commands {
        lines.append("  " + command.name.padding(toLength: width, withPad: " ", startingAt: 0) + command.summary)
    }
    lines += ["", "Run 'fewshot <command> --help' for a command's options and examples."]
    return lines.joined(separator: "\n")
}

@MainActor func runMain() -> Int32 {
    let arguments = Array(CommandLine.arguments.dropFirst())
    guard let name = arguments.first else {
        printError(mainUsage())
        return 2
    }
    if name == "--help" || name == "-h" || name == "help" {
        print(mainUsage())
        return 0
    }
    guard let entry = commands.first(where: { $0.command.name == name }) else {
        printError("error: unknown command '\(name)'\nhint: run 'fewshot --help' for the list of commands")
        return 2
    }
    do {
        try entry.run(Array(arguments.dropFirst()))
        return 0
    } catch CLIError.help(let text) {
        print(text)
        return 0
    } catch CLIError.usage(let message, let command) {
        printError("error: \(message)\nhint: run 'fewshot \(command) --help' for usage")
        return 2
    } catch CLIError.runtime(let message, let hint) {
        printError("error: \(message)" + (hint.map { "\nhint: \($0)" } ?? ""))
        return 1
    } catch let error as TokenizationError {
        printError("error: \(error)")
        return 1
    } catch {
        printError("error: \(error)")
        return 1
    }
}

exit(runMain())
