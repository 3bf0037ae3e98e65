import Foundation
import MetaLearning
import Storage

/// The machine-readable training log: one JSON object per step (`Report.jsonLine`); a write that
/// fails stops the run with the error.
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

    func write(_ report: MetaTrainer.Report) throws {
        try handle.write(contentsOf: Data((report.jsonLine + "\n").utf8))
    }
}
