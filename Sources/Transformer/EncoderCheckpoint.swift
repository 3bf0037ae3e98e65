import Foundation
import Storage

/// Saving and loading encoders as safetensors, under BERT's tensor names so other BERT tools
/// read them. Our metadata: format and version, the encoder config (JSON), the vocabulary
/// (fingerprint and the vocab.txt text itself, so a model file is self-contained), and any
/// extra entries the caller adds (training state).
public enum EncoderCheckpoint {
    public static let formatName = "fewshot-encoder"
    public static let version = 1
    /// The caller's own metadata entries are stored under this prefix.
    static let extraPrefix = "fewshot.extra."

    public struct Metadata: Sendable {
        public var vocabularyFingerprint: String
        /// The vocabulary's tokens, one per line (vocab.txt).
        public var vocabularyText: String
        /// Entries of the caller's own (e.g. training step), stored as `fewshot.extra.KEY`.
        public var extra: [String: String] = [:]

        public init(vocabularyFingerprint: String, vocabularyText: String, extra: [String: String] = [:]) {
            self.vocabularyFingerprint = vocabularyFingerprint
            self.vocabularyText = vocabularyText
            self.extra = extra
        }
    }

    /// Writes the encoder's parameters (F32, or F16 to halve the file; nil: each tensor in the
    /// smallest type that stores it without loss) and extra tensors (F32 buffers, or outputs of
    /// any kind).
    public static func save(
        _ encoder: BertEncoder<Float>, metadata: Metadata, to path: String, dtype: SafeTensors.DType? = .f32,
        extraTensors: [(name: String, values: Buffer<Float>)] = [], extraOutputs: [SafeTensors.Output] = []
    ) throws {
        var outputs = Self.outputs(of: encoder, dtype: dtype)
        for extra in extraTensors {
            outputs.append(
                SafeTensors.Output(name: extra.name, shape: [extra.values.count], values: UnsafeBufferPointer(extra.values.buffer)))
        }
        outputs += extraOutputs
        var meta: [String: String] = [
            "format": formatName, "fewshot.version": String(version),
            "fewshot.config": try configText(encoder.config),
            "fewshot.vocabulary.fingerprint": metadata.vocabularyFingerprint, "fewshot.vocabulary": metadata.vocabularyText,
        ]
        for (key, value) in metadata.extra { meta[extraPrefix + key] = value }
        try SafeTensors.write(outputs, metadata: meta, to: path)
    }

    /// The encoder's parameters as tensors to write, each under `prefix` + its BERT name (stored
    /// as `dtype`; nil: the smallest type that loses nothing): the model's own in `save`, a
    /// companion encoder's under its prefix.
    public static func outputs(of encoder: BertEncoder<Float>, prefix: String = "", dtype: SafeTensors.DType?) -> [SafeTensors.Output] {
        encoder.layout.tensors.map { tensor in
            SafeTensors.Output(
                name: prefix + tensor.name, shape: tensor.shape,
                values: UnsafeBufferPointer(start: encoder.parameters.pointer + tensor.offset, count: tensor.count), dtype: dtype)
        }
    }

    /// A configuration as the metadata stores it (sorted JSON).
    public static func configText(_ config: EncoderConfig) throws -> String {
        String(decoding: try JSONEncoder.sorted.encode(config), as: UTF8.self)
    }

    /// Loads an encoder written by `save`.
    public static func load(_ path: String) throws -> (encoder: BertEncoder<Float>, metadata: Metadata, file: SafeTensors.File) {
        let file = try SafeTensors.File(path: path)
        guard file.metadata["format"] == formatName else {
            throw StorageError.wrongFormat(
                path: path, expected: "a fewshot encoder checkpoint (import BERT directories by passing the directory)")
        }
        guard let versionText = file.metadata["fewshot.version"], let version = Int(versionText) else {
            throw StorageError.corrupted(path: path, detail: "no fewshot.version in the metadata")
        }
        guard version == Self.version else {
            throw StorageError.unsupportedVersion(path: path, found: UInt32(version), supported: UInt32(Self.version))
        }
        guard let configText = file.metadata["fewshot.config"],
            let config = try? JSONDecoder().decode(EncoderConfig.self, from: Data(configText.utf8))
        else {
            throw StorageError.corrupted(path: path, detail: "no valid fewshot.config in the metadata")
        }
        let encoder = try self.encoder(config: config, from: file)
        var extra: [String: String] = [:]
        for (key, value) in file.metadata where key.hasPrefix(extraPrefix) { extra[String(key.dropFirst(extraPrefix.count))] = value }
        let metadata = Metadata(
            vocabularyFingerprint: file.metadata["fewshot.vocabulary.fingerprint"] ?? "",
            vocabularyText: file.metadata["fewshot.vocabulary"] ?? "",
            extra: extra)
        return (encoder, metadata, file)
    }

    /// The encoder of shape `config` with its weights read from `file`, each tensor under `prefix`
    /// + its BERT name (or `bert.` + it, without a prefix). The configuration and every tensor's
    /// shape are checked before any memory is allocated, so a damaged header (a negative or
    /// enormous size) is an error, not a crash.
    public static func encoder(config: EncoderConfig, from file: SafeTensors.File, prefix: String = "") throws -> BertEncoder<Float> {
        do { try config.validate() } catch let error as EncoderError {
            throw EncoderError.invalidModel(path: file.path, reason: error.description)
        }
        let layout = ParameterLayout(config: config)
        let names = try layout.tensors.map { tensor in
            let name = !prefix.isEmpty || file.tensors[tensor.name] != nil ? prefix + tensor.name : "bert." + tensor.name
            guard let info = file.tensors[name] else {
                throw EncoderError.invalidModel(path: file.path, reason: "missing tensor '\(prefix + tensor.name)'")
            }
            guard info.shape == tensor.shape else {
                throw EncoderError.invalidModel(
                    path: file.path, reason: "tensor '\(prefix + tensor.name)' has shape \(info.shape), the config needs \(tensor.shape)")
            }
            return name
        }
        // Weights come from the file: skip the random initialization (it dominated start-up time).
        let encoder = try BertEncoder<Float>(config: config, parameters: Buffer<Float>(count: layout.count))
        for (tensor, name) in zip(layout.tensors, names) { try file.read(name, into: encoder.parameters.pointer + tensor.offset) }
        encoder.parameters.markWritten()
        return encoder
    }
}
