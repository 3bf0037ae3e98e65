import FewShot
import Reports

/// The HTML page of `fewshot test --report`: the scores as pictures, in one self-contained file.
enum TestReportPage {
    static let precision = "#4a7ab5", recall = "#f28e2b", f1 = "#59a14f"

    /// A single-label classifier: summary, confusion-matrix heat map, per-label bars, reliability diagram.
    static func singleLabel(
        _ report: ClassificationReport, calibration: CalibrationReport, temperature: Float, classifier: String, file: String
    ) -> String {
        var page = HTMLPage(title: "fewshot test: \(classifier) on \(file)")
        page.paragraph(
            "\(report.total) examples; accuracy \(percent(report.accuracy)), macro-F1 \(percent(report.macroF1)); "
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
        return page.render()
    }

    /// A multi-label classifier: summary and per-label bars (no confusion matrix: a line can
    /// have several labels, so there is no single cell to count it in).
    static func multiLabel(_ report: MultiLabelReport, classifier: String, file: String) -> String {
        var page = HTMLPage(title: "fewshot test: \(classifier) on \(file)")
        page.paragraph(
            "\(report.total) examples; micro-F1 \(percent(report.microF1)), macro-F1 \(percent(report.macroF1)), "
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
