import Foundation
import MetaLearning
import Storage

/// The machine-readable training log: one JSON object per step.
final class JSONLog {
    private let handle: FileHandle

    init(path: String, append: Bool) throws {
        if !append || !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw StorageError.cannotWrite(path: path, reason: "cannot create the log")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else {
            throw StorageError.cannotWrite(path: path, reason: "cannot open the log")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    func write(_ report: MetaTrainer.Report) {
        var fields = [
            "\"step\":\(report.step)", "\"loss\":\(report.loss)", "\"lr\":\(report.learningRate)", "\"grad_norm\":\(report.gradientNorm)",
            "\"examples_per_second\":\(report.examplesPerSecond)",
        ]
        if let accuracy = report.accuracy { fields.append("\"train_accuracy\":\(accuracy)") }
        if let validation = report.validation { fields.append("\"val_accuracy\":\(validation)") }
        handle.write(Data(("{" + fields.joined(separator: ",") + "}\n").utf8))
    }
}
