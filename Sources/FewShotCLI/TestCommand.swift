import Corpus
import FewShot
import Foundation
import Storage

/// `fewshot test`: how well a classifier labels a labelled file.
enum TestCommand {
    static let command = Command(
        name: "test",
        summary: "Score a classifier on a label<TAB>text file: accuracy, macro-F1, per-label P/R/F1, confusion matrix, calibration.",
        usage: "NAME.fsc LABELLED.tsv [--format text|json] [--report report.html]",
        options: [
            .value("format", "F", "text (tables) or json.", default: "text"),
            .value(
                "report", "FILE",
                "Also write the scores as pictures in one self-contained HTML page: confusion-matrix heat map, "
                    + "per-label precision/recall/F1 bars, reliability diagram."),
        ],
        discussion: """
            Lines without a tab or with an empty text are reported and skipped. True labels the
            classifier does not know count as errors (recall 0). Calibration: the expected calibration
            error (ECE) of the top probability, over 10 equal-width confidence bins, and the bins
            themselves (mean confidence against accuracy; in json, "calibration_bins"): a calibrated
            classifier is right in each bin as often as it says.

            A multi-label classifier is scored on a file whose label fields list labels separated
            by commas: micro- and macro-F1, per-label precision/recall/F1, subset accuracy (the
            whole set right) and Hamming loss (the fraction of wrong label decisions).

            --report FILE writes one HTML file with inline SVG (nothing is fetched when it is opened):
            the confusion matrix as a heat map with the label names, precision, recall and F1 per
            label as bars, the reliability diagram of the probabilities, and per confused pair (most
            confused first) up to 5 of its wrong lines, each with the 3 stored examples of the
            wrong label nearest to it: the ones that pulled it across (their positions, #R, in a
            file trained with --no-texts). A multi-label classifier gets the per-label bars only.

            examples:
              fewshot test topics.fsc labelled.tsv
              fewshot test topics.fsc labelled.tsv --report report.html
            """,
        positionals: 2...2)

    static func run(_ arguments: [String]) throws {
        let parsed = try ParsedArguments(arguments, for: command)
        let format = try parsed.required("format")
        guard format == "text" || format == "json" else { throw CLIError.usage("--format must be text or json", command: command.name) }
        let reportPath = try parsed.outputPath("report")
        let classifier = try FewShotClassifier.load(parsed.positionals[0])
        let file = try LabeledFile(path: parsed.positionals[1])
        BadLines.report(skipped: file.unusable, in: parsed.positionals[1])
        guard !file.examples.isEmpty else { throw CLIError.runtime("no usable examples in \(parsed.positionals[1])") }
        // The report lists confused lines with the stored examples that pulled them across, so it
        // explains every line (the same predictions, and its nearest examples); a file that keeps no
        // examples, or a multi-label classifier, has no such list.
        let explains = reportPath != nil && !classifier.isMultiLabel && classifier.memory != nil
        let explanations =
            explains ? try classifier.explain(tokenized: classifier.model.tokenize(file.examples.map(\.text)), nearest: 3) : nil
        let predictions = try explanations?.map(\.prediction) ?? classifier.classify(lines: file.examples.map(\.text))
        if classifier.isMultiLabel {
            try multiLabel(
                classifier, file, paths: (parsed.positionals[0], parsed.positionals[1]), predictions: predictions, json: format == "json",
                reportPath: reportPath)
            return
        }
        let report = ClassificationReport(
            truth: file.examples.map(\.label), predicted: predictions.map { $0.ranked.first.map { classifier.labels[$0.label] } },
            classifierLabels: classifier.labels)
        var calibration = CalibrationReport()
        for (example, prediction) in zip(file.examples, predictions) {
            guard let best = prediction.ranked.first else { continue }
            calibration.add(confidence: Double(best.probability), correct: classifier.labels[best.label] == example.label)
        }
        if let reportPath {
            let confusions = explanations.map {
                ConfusedPairs(
                    examples: file.examples, explanations: $0, labels: classifier.labels, texts: classifier.memory?.texts,
                    linesPerPair: 5)
            }
            let page = TestReportPage.singleLabel(
                report, calibration: calibration, confusions: confusions, temperature: classifier.fit.temperature,
                classifier: (parsed.positionals[0] as NSString).lastPathComponent,
                file: (parsed.positionals[1] as NSString).lastPathComponent)
            try AtomicFile.write(Array(page.utf8), to: reportPath)
            printError("test: report -> \(reportPath)")
        }
        if format == "json" {
            printJSON(report, calibration, temperature: classifier.fit.temperature)
        } else {
            printText(report, calibration, temperature: classifier.fit.temperature)
        }
    }

    static func printJSON(_ report: ClassificationReport, _ calibration: CalibrationReport, temperature: Float) {
        let perLabel = perLabelJSON(report.labels, report.scores)
        let matrix = report.confusion.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: ",")
        let names = (report.labels + [""]).map(ClassifyCommand.quote).joined(separator: ",")
        // The bins the text output prints (those with lines), so both say the same.
        let bins = calibration.bins.filter { $0.count > 0 }.map {
            "{\"lower\":\($0.lower),\"upper\":\($0.upper),\"lines\":\($0.count),\"mean_confidence\":\($0.meanConfidence),"
                + "\"accuracy\":\($0.accuracy)}"
        }.joined(separator: ",")
        print(
            "{\"examples\":\(report.total),\"accuracy\":\(report.accuracy),\"macro_f1\":\(report.macroF1),"
                + "\"ece\":\(calibration.expectedCalibrationError),\"calibration_bins\":[\(bins)],\"temperature\":\(temperature),"
                + "\"labels\":[\(perLabel)],\"confusion\":{\"columns\":[\(names)],\"rows\":[\(matrix)]}}")
    }

    static func printText(_ report: ClassificationReport, _ calibration: CalibrationReport, temperature: Float) {
        print(String(format: "examples %d   accuracy %.4f   macro-F1 %.4f", report.total, report.accuracy, report.macroF1))
        print("")
        let width = printPerLabel(report.labels, report.scores)
        print("")
        print("confusion matrix (rows: true label, columns: predicted; '-' = no text)")
        let columns = report.labels.indices.map { "\($0 + 1)" } + ["-"]
        print("".padding(toLength: width + 4, withPad: " ", startingAt: 0) + columns.map { $0.leftPadding(5) }.joined())
        for (row, counts) in report.confusion.enumerated() {
            let name = "\(row + 1) " + report.labels[row]
            print(name.padding(toLength: width + 4, withPad: " ", startingAt: 0) + counts.map { String($0).leftPadding(5) }.joined())
        }
        print("")
        print(
            String(
                format: "calibration: expected calibration error %.4f (softmax temperature %.2f)", calibration.expectedCalibrationError,
                temperature))
        print("confidence bin   lines   mean confidence   accuracy")
        for bin in calibration.bins where bin.count > 0 {
            print(String(format: "%.1f-%.1f      %7d   %15.4f   %8.4f", bin.lower, bin.upper, bin.count, bin.meanConfidence, bin.accuracy))
        }
    }

    /// The per-label table (label, precision, recall, F1, support); returns the label column width.
    @discardableResult
    static func printPerLabel(_ labels: [String], _ scores: (Int) -> ClassificationReport.LabelScores) -> Int {
        let width = max(5, labels.map(\.count).max() ?? 5)
        print("label".padding(toLength: width, withPad: " ", startingAt: 0) + "  precision  recall     f1  support")
        for index in labels.indices {
            let s = scores(index)
            print(
                labels[index].padding(toLength: width, withPad: " ", startingAt: 0)
                    + String(format: "  %9.4f  %6.4f  %6.4f  %7d", s.precision, s.recall, s.f1, s.support))
        }
        return width
    }

    /// The per-label scores as a JSON array's elements.
    static func perLabelJSON(_ labels: [String], _ scores: (Int) -> ClassificationReport.LabelScores) -> String {
        labels.indices.map { index -> String in
            let s = scores(index)
            return "{\"label\":\(ClassifyCommand.quote(labels[index])),\"precision\":\(s.precision),"
                + "\"recall\":\(s.recall),\"f1\":\(s.f1),\"support\":\(s.support)}"
        }.joined(separator: ",")
    }
}

extension String {
    func leftPadding(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
