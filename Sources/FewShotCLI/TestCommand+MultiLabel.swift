import Corpus
import FewShot
import Foundation

extension TestCommand {
    /// Multi-label scores: label fields are comma-separated label lists.
    static func multiLabel(
        _ classifier: FewShotClassifier, _ file: LabeledFile, path: String, predictions: [FewShotClassifier.Prediction], json: Bool
    ) throws {
        let truth = try zip(file.examples, file.lines).map { try MultiLabelField.labels($0.label, path: path, line: $1) }
        let predicted = predictions.map { $0.ranked.filter { $0.probability >= 0.5 }.map { classifier.labels[$0.label] } }
        let report = MultiLabelReport(truth: truth, predicted: predicted, classifierLabels: classifier.labels)
        if json {
            let perLabel = report.labels.indices.map { index -> String in
                let s = report.scores(index)
                return "{\"label\":\(ClassifyCommand.quote(report.labels[index])),\"precision\":\(s.precision),"
                    + "\"recall\":\(s.recall),\"f1\":\(s.f1),\"support\":\(s.support)}"
            }.joined(separator: ",")
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
        let width = max(5, report.labels.map(\.count).max() ?? 5)
        print("label".padding(toLength: width, withPad: " ", startingAt: 0) + "  precision  recall     f1  support")
        for index in report.labels.indices {
            let s = report.scores(index)
            print(
                report.labels[index].padding(toLength: width, withPad: " ", startingAt: 0)
                    + String(format: "  %9.4f  %6.4f  %6.4f  %7d", s.precision, s.recall, s.f1, s.support))
        }
    }
}
