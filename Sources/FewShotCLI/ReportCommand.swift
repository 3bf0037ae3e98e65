import Foundation
import Reports
import Storage

/// `fewshot report`: learning curves of a `meta-train` log as one self-contained HTML page.
enum ReportCommand {
    static let command = Command(
        name: "report",
        summary: "Draw a meta-train log (MODEL.log.jsonl) as learning curves in one self-contained HTML page.",
        usage: "MODEL.log.jsonl -o curves.html",
        options: [.value("output", short: "o", "FILE", "The HTML page to write (atomically).")],
        discussion: """
            The page shows, against the training step: the training loss (and its running mean over
            about 5% of the steps), the accuracy on the training episodes' queries and on the
            validation episodes, and the learning-rate schedule. It is one file with inline SVG:
            nothing is fetched when it is opened. Lines of the log that are not step entries (a line
            cut short by a kill) are reported and skipped; a step logged twice (a resumed run) keeps
            its last entry. 'fewshot test ... --report FILE' draws a classifier's scores the same way.

            example:
              fewshot meta-train --index corpora.fsi -o mine.safetensors
              fewshot report mine.safetensors.log.jsonl -o curves.html
            """,
        positionals: 1...1)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        guard let output = try parsed.outputPath("output") else { throw CLIError.usage("missing -o curves.html", command: command.name) }
        let path = parsed.positionals[0]
        let log = try TrainingLog(path: path)
        BadLines.report(log.unusable.map { (path, $0, "skipped: not a step entry of a meta-train log") })
        guard !log.entries.isEmpty else {
            throw CLIError.runtime("no step entries in \(path)", hint: "meta-train writes MODEL.log.jsonl beside MODEL")
        }
        try AtomicFile.write(Array(page(log, name: (path as NSString).lastPathComponent).utf8), to: output)
        printError("report: \(counted(log.entries.count, "step")) drawn -> \(output)")
    }

    static func page(_ log: TrainingLog, name: String) -> String {
        let entries = log.entries
        var page = HTMLPage(title: "Meta-training: \(name)")
        var summary = "\(entries.count) logged steps, \(entries.first!.step) to \(entries.last!.step)."
        if let best = entries.filter({ $0.validationAccuracy != nil }).max(by: { $0.validationAccuracy! < $1.validationAccuracy! }) {
            summary += String(format: " Best validation accuracy %.4f at step %d.", best.validationAccuracy!, best.step)
        }
        page.paragraph(summary)
        let window = max(1, entries.count / 20)
        var running: [(x: Double, y: Double)] = []
        var sum = 0.0
        for (index, entry) in entries.enumerated() {
            sum += entry.loss
            if index >= window { sum -= entries[index - window].loss }
            running.append((Double(entry.step), sum / Double(min(index + 1, window))))
        }
        page.section(
            "Training loss",
            LineChart(
                title: "training loss", xLabel: "step",
                series: [
                    .init(name: "loss", color: "#9ecae1", points: entries.map { (Double($0.step), $0.loss) }),
                    .init(name: "running mean (\(window) steps)", color: "#08519c", points: running),
                ]
            ).svg())
        let accuracies: [LineChart.Series] = [
            .init(
                name: "train episodes", color: "#fd8d3c",
                points: entries.compactMap { e in e.trainAccuracy.map { (Double(e.step), $0) } }),
            .init(
                name: "validation", color: "#31a354",
                points: entries.compactMap { e in e.validationAccuracy.map { (Double(e.step), $0) } }),
        ].filter { !$0.points.isEmpty }
        if accuracies.isEmpty {
            page.paragraph("The log has no accuracies (pretraining and distillation log the loss only).")
        } else {
            page.section(
                "Accuracy", note: "On the queries of the training episodes, and on the validation episodes (unseen topics).",
                LineChart(title: "accuracy", xLabel: "step", series: accuracies, yRange: 0...1).svg())
        }
        let rates = entries.compactMap { e in e.learningRate.map { (x: Double(e.step), y: $0) } }
        if !rates.isEmpty {
            page.section(
                "Learning rate",
                LineChart(title: "learning rate", xLabel: "step", series: [.init(name: "learning rate", color: "#756bb1", points: rates)])
                    .svg())
        }
        return page.render()
    }
}
