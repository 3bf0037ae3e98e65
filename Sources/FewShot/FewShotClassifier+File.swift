import Embedding
import Foundation
import Storage
import Transformer

/// The `.fsc` file, version 4: a safetensors container (any safetensors tool can open it) whose
/// metadata holds `classifier.format = fewshot-classifier` (our magic), the format version and
/// one JSON header (the labels, the input length, the `ProbabilityFit`), and whose tensors are
/// the encoder (with its vocabulary) and the stored examples (`ExampleMemory`); the data is
/// checksummed, the file written atomically and memory-mapped when loaded. Prototype sums and
/// counts are not stored: they are derived from the examples when the file loads.
extension FewShotClassifier {
    public static let formatName = "fewshot-classifier"
    /// Version 3 made the stored examples the one source of truth; version 4 fits the open-set
    /// threshold on scores less the encoder's background penalty (`BackgroundTopics`), which a
    /// reader of version 3 would not subtract. Version 3 files (no background) load as version 4;
    /// versions 1 and 2 still load.
    public static let version = 4
    public static let readableVersions = 1...4

    /// What versions 3 and 4 keep beside the tensors, as one JSON value.
    struct FileHeader: Codable {
        var labels: [String]
        var maxLength: Int
        var fit: ProbabilityFit
    }

    /// Writes the file; the encoder's weights in `dtype`, by default each tensor in F16 when every
    /// one of its values is an F16 value (a shipped model is stored in F16; an adaptation changes
    /// the layers it trains and leaves the embedding tables) and F32 otherwise: the smallest file
    /// that loses nothing, so it loads as fast as it can (a static model's classify spends most
    /// of its start-up reading and checking the file).
    public func save(to path: String, dtype: SafeTensors.DType? = nil) throws {
        let memory = try requireMemory()
        let header = FileHeader(labels: labels, maxLength: model.maxLength, fit: fit)
        let extra = [
            "classifier.format": Self.formatName, "classifier.version": String(Self.version),
            "classifier.header": String(decoding: try JSONEncoder.sorted.encode(header), as: UTF8.self),
        ]
        try memory.withOutputs { try model.save(to: path, dtype: dtype, extra: extra, extraOutputs: $0) }
    }

    public static func load(_ path: String) throws -> FewShotClassifier {
        let (encoder, metadata, file) = try EncoderCheckpoint.load(path)
        guard metadata.extra["classifier.format"] == formatName else {
            throw StorageError.wrongFormat(path: path, expected: "a fewshot classifier (.fsc)")
        }
        let versionText = metadata.extra["classifier.version"] ?? "0"
        guard let fileVersion = Int(versionText), readableVersions.contains(fileVersion) else {
            throw StorageError.unsupportedVersion(path: path, found: UInt32(versionText) ?? 0, supported: UInt32(version))
        }
        if fileVersion < 3 { return try loadLegacy(encoder: encoder, metadata: metadata, file: file) }
        func corrupted(_ detail: String) -> StorageError { .corrupted(path: path, detail: detail) }
        guard let headerText = metadata.extra["classifier.header"],
            let header = try? JSONDecoder().decode(FileHeader.self, from: Data(headerText.utf8))
        else { throw corrupted("no valid classifier header") }
        guard !header.labels.isEmpty else { throw corrupted("no labels") }
        if let repeated = header.labels.indices.first(where: { header.labels[..<$0].contains(header.labels[$0]) }) {
            throw corrupted("label '\(header.labels[repeated])' appears twice")
        }
        guard header.maxLength >= 2 else { throw corrupted("input length \(header.maxLength)") }
        let model = try SentenceEncoder.fromCheckpoint(encoder, metadata: metadata, file: file, maxLength: header.maxLength)
        if let problem = header.fit.problem(labelCount: header.labels.count, penaltyBound: model.background?.largestPenalty ?? 0) {
            throw corrupted(problem)
        }
        guard let memory = try ExampleMemory.load(from: file, dimension: model.dimension, labelCount: header.labels.count) else {
            throw corrupted("no stored examples")
        }
        let classifier = FewShotClassifier(model: model)
        try classifier.take(memory, labels: header.labels, fit: header.fit)
        return classifier
    }

    /// Takes the examples and fit a file stores, checking that they agree: every label has an
    /// example, and each example of a single-label classifier has exactly one label.
    func take(_ memory: ExampleMemory, labels: [String], fit: ProbabilityFit) throws {
        let (sums, counts) = memory.sumsAndCounts(labelCount: labels.count)
        if let empty = counts.firstIndex(of: 0) {
            throw StorageError.corrupted(path: model.path, detail: "label '\(labels[empty])' has no stored example")
        }
        guard fit.multiLabel != nil || memory.memberships.allSatisfy({ $0.count == 1 }) else {
            throw StorageError.corrupted(path: model.path, detail: "a stored example of a single-label classifier has several labels")
        }
        self.memory = memory
        self.fit = fit
        setDerived(labels: labels, sums: sums, counts: counts)
    }
}
