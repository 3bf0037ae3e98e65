import Foundation
import Storage
import Transformer

/// A second encoder whose view of a line is set beside the model's own: a sentence's embedding
/// is √(1 − w) times the model's unit embedding followed by √w times the companion's, so it
/// stays of unit length and a cosine to a prototype is, nearly, (1 − w) times the model's cosine
/// plus w times the companion's (`fewshot convert --companion`).
///
/// Why: a static encoder (`fast`) reads a line as a bag of its words and a small transformer
/// (`default`) reads them in context; each is right where the other is wrong often enough that
/// the pair can beat either, for the price of a token-table lookup beside the transformer. The
/// companion reads the model's tokens (the same vocabulary, checked), so a line is tokenized once.
///
/// Stored in the model's file: its weights under `companion.` + BERT's names, its configuration
/// and weight in the metadata. It is never trained here: meta-training and the per-task update
/// change the model's own encoder, and the companion's half of every embedding stays as it was.
public struct Companion: Sendable {
    public let encoder: BertEncoder<Float>
    /// The companion's share w of every cosine, in (0, 1).
    public let weight: Float

    public init(encoder: BertEncoder<Float>, weight: Float) throws {
        guard weight > 0, weight < 1 else { throw EncoderError.invalidConfig("the companion's weight must be above 0 and below 1") }
        (self.encoder, self.weight) = (encoder, weight)
    }

    public var dimension: Int { encoder.config.hidden }

    /// Whether two models' companions read text the same way: both absent, or the same
    /// configuration, weight and weights.
    public static func same(_ a: Companion?, _ b: Companion?) -> Bool {
        guard let a, let b else { return a == nil && b == nil }
        return a.encoder.config == b.encoder.config && a.weight == b.weight
            && memcmp(a.encoder.parameters.pointer, b.encoder.parameters.pointer, a.encoder.parameters.count * MemoryLayout<Float>.stride)
                == 0
    }

    /// Rows of `own` (unit rows × `ownDimension`, one per sequence) joined with the companion's
    /// unit embeddings of the same `sequences`: each row √(1 − w) · own ‖ √w · companion's.
    func joined(_ own: [Float], ownDimension d: Int, sequences: [[Int32]]) throws -> [Float] {
        let c = dimension
        precondition(own.count == sequences.count * d)
        guard !sequences.isEmpty else { return [] }
        let theirs = try encoder.forward(TokenBatch(sequences: sequences), normalize: true)
        let (a, b) = ((1 - weight).squareRoot(), weight.squareRoot())
        var rows = [Float](repeating: 0, count: sequences.count * (d + c))
        for row in sequences.indices {
            for k in 0..<d { rows[row * (d + c) + k] = a * own[row * d + k] }
            for k in 0..<c { rows[row * (d + c) + d + k] = b * theirs[row * c + k] }
        }
        return rows
    }

    /// The model's own part of joined unit rows (rows × (`ownDimension` + companion)), each made
    /// unit again: what the model's encoder alone gives, for a per-task update of it that starts
    /// from prototypes of joined rows.
    func ownPart(of rows: [Float], ownDimension d: Int) -> [Float] {
        let width = d + dimension
        precondition(rows.count % width == 0)
        var own = [Float](repeating: 0, count: rows.count / width * d)
        for row in 0..<(rows.count / width) {
            let part = rows[row * width..<(row * width + d)]
            let norm = part.reduce(0) { $0 + $1 * $1 }.squareRoot()
            let scale: Float = norm > 0 ? 1 / norm : 0
            for (k, value) in part.enumerated() { own[row * d + k] = value * scale }
        }
        return own
    }

    /// Why an encoder of `config` cannot read a model's tokens (a vocabulary of `vocabularySize`
    /// entries, inputs of `inputLength` tokens), or nil when it can.
    static func mismatch(_ config: EncoderConfig, vocabularySize: Int, inputLength: Int) -> String? {
        config.vocabularySize == vocabularySize && config.maxPositions >= inputLength
            ? nil
            : "it reads \(config.vocabularySize) tokens of up to \(config.maxPositions), "
                + "the model \(vocabularySize) of up to \(inputLength)"
    }

    // MARK: file

    static let tensorPrefix = "companion."
    static let configKey = "companion.config"
    static let weightKey = "companion.weight"

    /// Hands the companion's tensors (in `dtype`; nil: the smallest type that loses nothing) and
    /// metadata entries to `body` (which writes them).
    public func withOutputs<Result>(dtype: SafeTensors.DType?, _ body: ([SafeTensors.Output], [String: String]) throws -> Result) throws
        -> Result
    {
        try body(
            EncoderCheckpoint.outputs(of: encoder, prefix: Self.tensorPrefix, dtype: dtype),
            [Self.configKey: try EncoderCheckpoint.configText(encoder.config), Self.weightKey: String(weight)])
    }

    /// The companion stored in `file`, or nil if it has none; it must read the model's tokens:
    /// a vocabulary of `vocabularySize` entries and inputs of `inputLength` tokens. A damaged entry
    /// is refused.
    static func load(from file: SafeTensors.File, metadata: [String: String], vocabularySize: Int, inputLength: Int) throws -> Companion? {
        guard let configText = metadata[configKey] else { return nil }
        func corrupted(_ detail: String) -> StorageError { .corrupted(path: file.path, detail: "companion: " + detail) }
        guard let config = try? JSONDecoder().decode(EncoderConfig.self, from: Data(configText.utf8)) else {
            throw corrupted("no valid configuration")
        }
        guard let weight = metadata[weightKey].flatMap(Float.init), weight > 0, weight < 1 else {
            throw corrupted("no weight, or not a number above 0 and below 1")
        }
        if let mismatch = mismatch(config, vocabularySize: vocabularySize, inputLength: inputLength) { throw corrupted(mismatch) }
        return try Companion(encoder: try EncoderCheckpoint.encoder(config: config, from: file, prefix: tensorPrefix), weight: weight)
    }
}
