/// The subcommands, in the order `fewshot --help` lists them.
@MainActor let commands: [(command: Command, run: ([String]) throws -> Void)] = [
    (TokenizeCommand.command, TokenizeCommand.run),
    (VocabCommand.command, VocabCommand.run),
    (IndexCommand.command, IndexCommand.run),
    (EvalCommand.command, EvalCommand.run),
    (MetaTrainCommand.command, MetaTrainCommand.run),
    (TrainCommand.command, TrainCommand.run),
    (ClassifyCommand.command, ClassifyCommand.run),
    (TestCommand.command, TestCommand.run),
    (SuggestCommand.command, SuggestCommand.run),
    (MergeCommand.command, MergeCommand.run),
    (EmbedCommand.command, EmbedCommand.run),
    (ConvertCommand.command, ConvertCommand.run),
    (BenchCommand.command, BenchCommand.run),
    (ReportCommand.command, ReportCommand.run),
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
