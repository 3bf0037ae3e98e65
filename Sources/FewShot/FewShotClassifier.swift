import Embedding
import Foundation
import Storage
import Tokenization
import Transformer

/// A classifier built from a handful of labelled lines: the encoder, and per label the running
/// sum of its examples' normalized embeddings with their count (the prototype is the mean).
/// Adding examples later needs no re-embedding of old ones, and the result equals building from
/// the union.
///
/// Stored as a `.fsc` file: a safetensors container (any safetensors tool can open it) whose
/// metadata starts with `format = fewshot-classifier` (our magic) and a format version, holding
/// the encoder weights, its vocabulary, the labels, the prototype sums and counts, the examples
/// (`ExampleMemory`, from version 2; version-1 files load without them), and a checksum of all
/// tensor data; written atomically, memory-mapped when loaded.
public final class FewShotClassifier: @unchecked Sendable {
    public static let formatName = "fewshot-classifier"
    /// Version 2 added the stored examples; version 1 files still load.
    public static let version = 2
    public static let readableVersions = 1...2

    public let model: SentenceEncoder
    public internal(set) var labels: [String]
    /// Label count × dimension sums of normalized embeddings.
    public internal(set) var sums: [Float]
    public internal(set) var counts: [Int]
    /// Probabilities are softmax(temperature · cosine) over labels, with the temperature fitted
    /// leave-one-out on the stored examples (those of the last `add` in a file that keeps none;
    /// `TemperatureFit`), so that a probability of 0.8 is right about 80% of the time; kept when
    /// those examples allow no fit, and
    /// `TemperatureFit.unfitted` for a new classifier whose examples allow none (one per label).
    /// Files written before the fit existed use `TemperatureFit.fallback`.
    public var temperature: Float = TemperatureFit.unfitted
    /// The user chose the temperature (`train --temperature T`): fits leave it alone, through
    /// updates, forgetting and merges.
    public var temperatureIsFixed = false
    /// "None of these" below this best cosine (`OpenSetThreshold`, fitted on the same examples as
    /// the temperature); nil for files made before it was fitted and for one example per label.
    public var openSetThreshold: Float?
    /// Several labels per line (`addMultiLabel`): each label scores on its own,
    /// σ(multiLabelSlope · (cosine − threshold)), and every label at 0.5 or above applies.
    public internal(set) var multiLabel = false
    /// Per label, the cosine at which it starts to apply (multi-label only).
    public internal(set) var thresholds: [Float] = []
    public internal(set) var multiLabelSlope: Float = MultiLabelFit.fallbackSlope
    /// The examples behind the sums, in the order added; nil for a file that keeps none
    /// (version 1, or merged with one that keeps none).
    public internal(set) var memory: ExampleMemory?

    /// A classifier with no labels yet; `keepsTexts: false` stores examples without their texts.
    public init(model: SentenceEncoder, keepsTexts: Bool = true) {
        self.model = model
        labels = []
        sums = []
        counts = []
        memory = ExampleMemory(dimension: model.dimension, keepsTexts: keepsTexts)
    }

    /// Adds labelled examples (label, text bytes); new labels are appended in order of appearance.
    public func add(_ examples: [(label: String, text: [UInt8])]) throws {
        guard !multiLabel else {
            throw ClassifierError.mixedLabelModes("'\(model.path)' is multi-label; add examples with --multi-label")
        }
        let embeddings = try model.embed(lines: examples.map(\.text))
        absorb(embeddings, memberships: examples.map { [position(of: $0.label)] }, texts: examples.map(\.text))
    }

    /// The index of `label`, appended (with an empty sum) if it is new.
    func position(of label: String) -> Int {
        if let existing = labels.firstIndex(of: label) { return existing }
        labels.append(label)
        sums += [Float](repeating: 0, count: model.dimension)
        counts.append(0)
        return labels.count - 1
    }

    /// Adds embedded examples to their labels' sums and to the stored examples, then fits the
    /// probabilities on every stored example (on these alone for a file that keeps none).
    func absorb(_ embeddings: [Float], memberships: [[Int]], texts: [[UInt8]]) {
        Prototypes.add(embeddings, memberships: memberships, dimension: model.dimension, into: &sums, counts: &counts)
        memory?.append(embeddings: embeddings, memberships: memberships, texts: texts)
        refit(embeddings: memory?.embeddings ?? embeddings, memberships: memory?.memberships ?? memberships)
    }

    /// Fits the probabilities on these examples' leave-one-out scores: the temperature and
    /// open-set threshold of a single-label classifier (one pass serves both), the per-label
    /// thresholds and slope of a multi-label one. What the examples allow no fit for is kept.
    func refit(embeddings: [Float], memberships: [[Int]]) {
        let d = model.dimension
        guard multiLabel else {
            let scored = TemperatureFit.leaveOneOutScores(
                embeddings: embeddings, labels: memberships.map { $0[0] }, sums: sums, counts: counts, dimension: d)
            if !temperatureIsFixed, let fitted = TemperatureFit.fitted(scored) { temperature = fitted }
            if let fitted = OpenSetThreshold.fitted(scored) { openSetThreshold = fitted }
            return
        }
        let scores = Prototypes.leaveOneOutCosines(
            embeddings: embeddings, memberships: memberships, sums: sums, counts: counts, dimension: d)
        let fitted = MultiLabelFit.thresholds(scores: scores, memberships: memberships, labelCount: labels.count)
        let known = fitted.compactMap { $0 }
        let fallback = known.isEmpty ? MultiLabelFit.fallbackThreshold : known.reduce(0, +) / Float(known.count)
        thresholds = labels.indices.map { k in fitted[k] ?? (k < thresholds.count ? thresholds[k] : fallback) }
        if !known.isEmpty {
            multiLabelSlope = MultiLabelFit.slope(scores: scores, memberships: memberships, thresholds: thresholds)
        }
    }

    /// Adds each example's embedding (row after row in `embeddings`) to its label's sum.
    func accumulate(_ examples: [(label: String, text: [UInt8])], _ embeddings: [Float], into sums: inout [Float]) {
        Prototypes.add(embeddings, labels: examples.map { labels.firstIndex(of: $0.label)! }, dimension: model.dimension, into: &sums)
    }

    /// Re-embeds `examples` (all of this classifier's examples) with the current encoder.
    /// They are the stored examples, in order, so those embeddings are replaced too.
    func recomputePrototypes(_ examples: [(label: String, text: [UInt8])]) throws {
        var fresh = [Float](repeating: 0, count: sums.count)
        let embeddings = try model.embed(lines: examples.map(\.text))
        accumulate(examples, embeddings, into: &fresh)
        sums = fresh
        memory?.replaceEmbeddings(embeddings)
    }

    /// Unit-length prototypes, label by label.
    public func prototypes() -> [Float] {
        Prototypes.normalized(sums, dimension: model.dimension)
    }

    public struct Prediction: Sendable, Equatable {
        /// Labels by decreasing probability (label index, probability); empty for a line with
        /// no text.
        public let ranked: [(label: Int, probability: Float)]
        /// The best cosine to a prototype (what `openSetThreshold` applies to); 0 for no text.
        public var similarity: Float = 0
        public static func == (a: Prediction, b: Prediction) -> Bool {
            a.ranked.map(\.label) == b.ranked.map(\.label) && a.ranked.map(\.probability) == b.ranked.map(\.probability)
        }
    }

    /// Classifies token sequences (as `model.tokenize` gives them).
    public func classify(tokenized: [[Int32]]) throws -> [Prediction] {
        let d = model.dimension
        let prototypes = prototypes()
        let nonEmpty = tokenized.indices.filter { tokenized[$0].count > 2 }
        let embeddings = try model.embed(tokenized: nonEmpty.map { tokenized[$0] })
        var predictions = [Prediction](repeating: Prediction(ranked: []), count: tokenized.count)
        for (row, line) in nonEmpty.enumerated() {
            let cosines = Prototypes.cosines(of: embeddings, row: row, to: prototypes, count: labels.count, dimension: d)
            if multiLabel {
                predictions[line] = multiLabelPrediction(cosines: cosines)
                continue
            }
            let scores = cosines.map { temperature * $0 }
            let largest = scores.max() ?? 0
            let exps = scores.map { Foundation.exp($0 - largest) }
            let total = exps.reduce(0, +)
            let ranked = exps.enumerated().map { (label: $0.offset, probability: $0.element / total) }
                .sorted { $0.probability != $1.probability ? $0.probability > $1.probability : $0.label < $1.label }
            predictions[line] = Prediction(ranked: ranked, similarity: cosines.max() ?? 0)
        }
        return predictions
    }

    public func classify(lines: [[UInt8]]) throws -> [Prediction] {
        try classify(tokenized: model.tokenize(lines))
    }

    // MARK: file

    public func save(to path: String, dtype: SafeTensors.DType = .f32) throws {
        let labelJSON = String(decoding: try JSONEncoder().encode(labels), as: UTF8.self)
        let sumsBuffer = Buffer<Float>(count: max(1, sums.count))
        for index in sums.indices { sumsBuffer[index] = sums[index] }
        let countsBuffer = Buffer<Float>(count: max(1, counts.count))
        for index in counts.indices { countsBuffer[index] = Float(counts[index]) }
        var extra = [
            "classifier.format": Self.formatName, "classifier.version": String(Self.version), "classifier.labels": labelJSON,
            "classifier.maxLength": String(model.maxLength), "classifier.temperature": String(temperature),
        ]
        if temperatureIsFixed { extra["classifier.temperatureFixed"] = "true" }
        if let openSetThreshold { extra["classifier.openSetThreshold"] = String(openSetThreshold) }
        if multiLabel {
            extra["classifier.multiLabel"] = "true"
            extra["classifier.thresholds"] = String(decoding: try JSONEncoder().encode(thresholds), as: UTF8.self)
            extra["classifier.multiLabelSlope"] = String(multiLabelSlope)
        }
        let memoryEmbeddings = memory?.embeddings ?? []
        try memoryEmbeddings.withUnsafeBufferPointer { rows in
            try EncoderCheckpoint.save(
                model.encoder, metadata: .init(vocabulary: model.tokenizer.vocabulary, extra: extra),
                to: path, dtype: dtype, extraTensors: [("classifier.prototype_sums", sumsBuffer), ("classifier.counts", countsBuffer)],
                extraOutputs: memory?.outputs(embeddingsBuffer: rows) ?? [])
        }
    }

    public static func load(_ path: String) throws -> FewShotClassifier {
        let (encoder, metadata, file) = try EncoderCheckpoint.load(path)
        guard metadata.extra["classifier.format"] == formatName else {
            throw StorageError.wrongFormat(path: path, expected: "a fewshot classifier (.fsc)")
        }
        guard let fileVersion = metadata.extra["classifier.version"].flatMap(Int.init), readableVersions.contains(fileVersion) else {
            throw StorageError.unsupportedVersion(
                path: path, found: UInt32(metadata.extra["classifier.version"] ?? "0") ?? 0, supported: UInt32(version))
        }
        guard let labelText = metadata.extra["classifier.labels"],
            let labels = try? JSONDecoder().decode([String].self, from: Data(labelText.utf8))
        else {
            throw StorageError.corrupted(path: path, detail: "no label list")
        }
        let vocabulary = try metadata.vocabulary(path: path)
        let maxLength = Int(metadata.extra["classifier.maxLength"] ?? "") ?? encoder.config.maxPositions
        let model = try SentenceEncoder(
            tokenizer: try Tokenizer(vocabulary: vocabulary), encoder: encoder, maxLength: maxLength, path: path)
        let classifier = FewShotClassifier(model: model)
        let d = model.dimension
        guard let sumsInfo = file.tensors["classifier.prototype_sums"], let countsInfo = file.tensors["classifier.counts"],
            sumsInfo.count == max(1, labels.count * d), countsInfo.count == max(1, labels.count)
        else { throw StorageError.corrupted(path: path, detail: "prototype tensors do not match the labels") }
        var sums = [Float](repeating: 0, count: sumsInfo.count)
        var counts = [Float](repeating: 0, count: countsInfo.count)
        try file.read("classifier.prototype_sums", into: &sums)
        try file.read("classifier.counts", into: &counts)
        classifier.labels = labels
        classifier.sums = Array(sums.prefix(labels.count * d))
        classifier.counts = counts.prefix(labels.count).map { Int($0) }
        classifier.temperature = TemperatureFit.fallback
        if let text = metadata.extra["classifier.temperature"] {
            guard let value = Float(text), value.isFinite, value > 0 else {
                throw StorageError.corrupted(path: path, detail: "temperature '\(text)'")
            }
            classifier.temperature = value
            classifier.temperatureIsFixed = metadata.extra["classifier.temperatureFixed"] == "true"
        }
        if let text = metadata.extra["classifier.openSetThreshold"] {
            guard let value = Float(text), value.isFinite, abs(value) <= 2 else {
                throw StorageError.corrupted(path: path, detail: "open-set threshold '\(text)'")
            }
            classifier.openSetThreshold = value
        }
        if metadata.extra["classifier.multiLabel"] == "true" {
            guard let text = metadata.extra["classifier.thresholds"],
                let thresholds = try? JSONDecoder().decode([Float].self, from: Data(text.utf8)), thresholds.count == labels.count,
                thresholds.allSatisfy({ $0.isFinite }),
                let slope = metadata.extra["classifier.multiLabelSlope"].flatMap(Float.init), slope.isFinite, slope > 0
            else { throw StorageError.corrupted(path: path, detail: "multi-label thresholds do not match the labels") }
            classifier.multiLabel = true
            classifier.thresholds = thresholds
            classifier.multiLabelSlope = slope
        }
        classifier.memory = try ExampleMemory.load(from: file, dimension: d, labelCount: labels.count)
        if let memory = classifier.memory {
            guard memory.counts(labelCount: labels.count) == classifier.counts,
                classifier.multiLabel || memory.memberships.allSatisfy({ $0.count == 1 })
            else { throw StorageError.corrupted(path: path, detail: "the stored examples do not match the label counts") }
        }
        return classifier
    }
}
