import Corpus
import FewShot
import Foundation
import Storage

extension TestCommand {
    /// Multi-label scores: label fields are comma-separated label lists.
    static func multiLabel(
        _ classifier: FewShotClassifier, _ file: LabeledFile, paths: (classifier: String, file: String),
        predictions: [FewShotClassifier.Prediction], json: Bool, reportPath: String?
    ) throws {
        let truth = try zip(file.examples, file.lines).map { try MultiLabelField.labels($0.label, path: paths.file, line: $1) }
        let predicted = predictions.map { $0.ranked.filter { $0.probability >= 0.5 }.map { classifier.labels[$0.label] } }
        let report = MultiLabelReport(truth: truth, predicted: predicted, classifierLabels: classifier.labels)
        if let reportPath {
            let page = TestReportPage.multiLabel(
                report, classifier: (paths.classifier as NSString).lastPathComponent, file: (paths.file as NSString).lastPathComponent)
            try AtomicFile.write(Array(page.utf8), to: reportPath)
            printError("test: report -> \(reportPath)")
        }
        if json {
            let perLabel = perLabelJSON(report.labels, report.scores)
            print(
                "{\"examples\":\(report.total),\"micro_f1\":\(report.microF1),\"macro_f1\":\(report.macroF1),"
                    + "\"subset_accuracy\":\(report.subsetAccuracy),\"hamming_loss\":\(report.hammingLoss),\"labels\":[\(perLabel)]}")
            return
        }
        print(
            String(
                format: "examples %d   micro-F1 %.4f   macro-F1 %.4f   subset accuracy %.4f   Hamming loss %.4f", report.total,
                report.microF1, report.macroF1, report.subsetAccuracy, report.hammingLoss))
        print("")
        printPerLabel(report.labels, report.scores)
    }
}
