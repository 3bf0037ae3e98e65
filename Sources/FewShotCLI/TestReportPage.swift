import FewShot
import Foundation
import Reports

/// The HTML page of `fewshot test --report`: the scores as pictures, in one self-contained file.
enum TestReportPage {
    static let precision = "#4a7ab5", recall = "#f28e2b", f1 = "#59a14f"

    /// A single-label classifier: summary, confusion-matrix heat map, per-label bars, reliability diagram.
    static func singleLabel(
        _ report: ClassificationReport, calibration: CalibrationReport, confusions: ConfusedPairs?, temperature: Float,
        classifier: String, file: String
    ) -> String {
        var page = HTMLPage(title: "fewshot test: \(classifier) on \(file)")
        page.paragraph(
            "\(counted(report.total, "example")); accuracy \(percent(report.accuracy)), macro-F1 \(percent(report.macroF1)); "
                + "expected calibration error \(String(format: "%.4f", calibration.expectedCalibrationError)) "
                + "(softmax temperature \(String(format: "%.2f", temperature))).")
        page.section(
            "Confusion matrix",
            note: "Rows: true label; columns: predicted label. Cells are shaded by their share of the row: "
                + "blue on the diagonal (right), red elsewhere (confused).",
            HeatMap(rowLabels: report.labels, columnLabels: report.labels + ["(no text)"], counts: report.confusion).svg())
        page.section("Per label", perLabelBars(report.labels, report.scores))
        page.section(
            "Reliability",
            note: "Per confidence bin of the top probability, how often it was right; the dashed diagonal is perfect "
                + "calibration, bars below it mean overconfidence.",
            ReliabilityDiagram(
                bins: calibration.bins.map {
                    .init(lower: $0.lower, upper: $0.upper, count: $0.count, accuracy: $0.accuracy, confidence: $0.meanConfidence)
                }
            ).svg())
        if let confusions { page.section("Confused pairs", note: confusedNote(confusions), confusedTable(confusions)) }
        return page.render()
    }

    static func confusedNote(_ confusions: ConfusedPairs) -> String {
        confusions.pairs.isEmpty
            ? "No line was put under a wrong label."
            : "Most confused pairs first: up to 5 wrong lines of each, with the probability of the wrong label and the "
                + "3 stored examples of that label nearest to the line (the ones that pulled it across)."
    }

    /// One row per listed line: the pair (on its first line, with its count), the line, the
    /// wrong label's probability, its nearest examples.
    static func confusedTable(_ confusions: ConfusedPairs) -> String {
        guard !confusions.pairs.isEmpty else { return "" }
        var rows = [
            "<table>", "<tr><th>true → predicted</th><th>wrong line</th><th>p</th><th>nearest examples of the predicted label</th></tr>",
        ]
        let escape = HTMLPage.escape
        for pair in confusions.pairs {
            for (index, line) in pair.lines.enumerated() {
                let name = index == 0 ? "\(escape(pair.truth)) → \(escape(pair.predicted)) (\(pair.count))" : ""
                let nearest = line.pulledBy.map { "<li>\(escape($0))</li>" }.joined()
                rows.append(
                    "<tr><td>\(name)</td><td style=\"text-align:left\">\(escape(line.text))</td>"
                        + "<td>\(String(format: "%.2f", line.probability))</td><td style=\"text-align:left\"><ul>\(nearest)</ul></td></tr>")
            }
        }
        return (rows + ["</table>"]).joined(separator: "\n")
    }

    /// A multi-label classifier: summary and per-label bars (no confusion matrix: a line can
    /// have several labels, so there is no single cell to count it in).
    static func multiLabel(_ report: MultiLabelReport, classifier: String, file: String) -> String {
        var page = HTMLPage(title: "fewshot test: \(classifier) on \(file)")
        page.paragraph(
            "\(counted(report.total, "example")); micro-F1 \(percent(report.microF1)), macro-F1 \(percent(report.macroF1)), "
                + "subset accuracy \(percent(report.subsetAccuracy)), Hamming loss \(String(format: "%.4f", report.hammingLoss)).")
        page.section("Per label", perLabelBars(report.labels, report.scores))
        return page.render()
    }

    static func perLabelBars(_ labels: [String], _ scores: (Int) -> ClassificationReport.LabelScores) -> String {
        let all = labels.indices.map(scores)
        return BarChart(
            categories: labels,
            series: [
                .init(name: "precision", color: precision, values: all.map(\.precision)),
                .init(name: "recall", color: recall, values: all.map(\.recall)),
                .init(name: "F1", color: f1, values: all.map(\.f1)),
            ]
        ).svg()
    }

    static func percent(_ value: Double) -> String { String(format: "%.1f%%", 100 * value) }
}
