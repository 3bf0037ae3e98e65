import Foundation
import Storage

/// A `meta-train` log (MODEL.log.jsonl, written by `JSONLog`) read back for `fewshot report`:
/// one entry per step. Lines that are not such objects are counted and skipped, so a log cut
/// short by a kill still draws; a step logged twice (a run resumed from an earlier checkpoint)
/// keeps its last entry, as the resumed run is the one that produced the model.
struct TrainingLog {
    struct Entry {
        let step: Int
        let loss: Double
        let learningRate: Double?
        let trainAccuracy: Double?
        let validationAccuracy: Double?
    }

    /// By increasing step.
    private(set) var entries: [Entry] = []
    /// Line numbers of the lines that were not step entries.
    private(set) var unusable: [Int] = []

    init(path: String) throws {
        var byStep: [Int: Entry] = [:]
        var lineNumber = 0
        var unusable: [Int] = []
        try LineReader(path: path).forEachLine { line in
            lineNumber += 1
            guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                let stepValue = (object["step"] as? NSNumber)?.doubleValue, stepValue >= 0, stepValue <= 1e12,
                stepValue.rounded() == stepValue, let loss = (object["loss"] as? NSNumber)?.doubleValue
            else {
                if !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) { unusable.append(lineNumber) }
                return
            }
            let step = Int(stepValue)
            let number = { (key: String) in (object[key] as? NSNumber)?.doubleValue }
            byStep[step] = Entry(
                step: step, loss: loss, learningRate: number("lr"), trainAccuracy: number("train_accuracy"),
                validationAccuracy: number("val_accuracy"))
        }
        entries = byStep.keys.sorted().map { byStep[$0]! }
        self.unusable = unusable
    }
}
