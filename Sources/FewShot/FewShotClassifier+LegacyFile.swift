import Embedding
import Foundation
import Storage
import Transformer

/// Reading `.fsc` files of versions 1 and 2 (never writing them): a dozen `classifier.*`
/// metadata strings, the prototype sums and counts as tensors, and from version 2 the stored
/// examples. A file with examples becomes a version-3 classifier in memory (its stored sums must
/// agree with the examples); one without (version 1, or a version-2 merge with one) keeps its
/// sums as they are and can classify, but not change.
extension FewShotClassifier {
    static func loadLegacy(encoder: BertEncoder<Float>, metadata: EncoderCheckpoint.Metadata, file: SafeTensors.File) throws
        -> FewShotClassifier
    {
        let path = file.path
        func corrupted(_ detail: String) -> StorageError { .corrupted(path: path, detail: detail) }
        let extra = metadata.extra
        guard let labelText = extra["classifier.labels"],
            let labels = try? JSONDecoder().decode([String].self, from: Data(labelText.utf8))
        else { throw corrupted("no label list") }
        let model = try SentenceEncoder.fromCheckpoint(
            encoder, metadata: metadata, file: file, maxLength: Int(extra["classifier.maxLength"] ?? ""))
        let fit = try legacyFit(extra, labelCount: labels.count, path: path)
        let d = model.dimension
        guard let sumsInfo = file.tensors["classifier.prototype_sums"], let countsInfo = file.tensors["classifier.counts"],
            sumsInfo.count == max(1, labels.count * d), countsInfo.count == max(1, labels.count)
        else { throw corrupted("prototype tensors do not match the labels") }
        var sums = [Float](repeating: 0, count: sumsInfo.count)
        var counts = [Float](repeating: 0, count: countsInfo.count)
        try file.read("classifier.prototype_sums", into: &sums)
        try file.read("classifier.counts", into: &counts)
        sums = Array(sums.prefix(labels.count * d))
        let storedCounts = counts.prefix(labels.count).map { Int($0) }
        guard let memory = try ExampleMemory.load(from: file, dimension: d, labelCount: labels.count) else {
            return FewShotClassifier(model: model, labels: labels, sums: sums, counts: storedCounts, fit: fit)
        }
        let classifier = FewShotClassifier(model: model)
        try classifier.take(memory, labels: labels, fit: fit)
        guard classifier.counts == storedCounts, zip(classifier.sums, sums).allSatisfy({ abs($0 - $1) <= 1e-4 * max(1, abs($1)) })
        else { throw corrupted("the stored examples do not match the prototype sums and counts") }
        return classifier
    }

    /// The fit as versions 1 and 2 stored it, one metadata string each; files from before the
    /// temperature was fitted use `TemperatureFit.fallback`.
    static func legacyFit(_ extra: [String: String], labelCount: Int, path: String) throws -> ProbabilityFit {
        var fit = ProbabilityFit(
            temperature: TemperatureFit.fallback, temperatureIsFixed: false, openSetThreshold: nil, multiLabel: nil, lexicalWeight: nil)
        if let text = extra["classifier.temperature"] {
            fit.temperature = Float(text) ?? .nan
            fit.temperatureIsFixed = extra["classifier.temperatureFixed"] == "true"
        }
        if let text = extra["classifier.openSetThreshold"] { fit.openSetThreshold = Float(text) ?? .nan }
        if extra["classifier.multiLabel"] == "true" {
            let thresholds = extra["classifier.thresholds"].flatMap { try? JSONDecoder().decode([Float].self, from: Data($0.utf8)) }
            fit.multiLabel = .init(thresholds: thresholds ?? [], slope: extra["classifier.multiLabelSlope"].flatMap(Float.init) ?? .nan)
        }
        if let problem = fit.problem(labelCount: labelCount) { throw StorageError.corrupted(path: path, detail: problem) }
        return fit
    }
}
