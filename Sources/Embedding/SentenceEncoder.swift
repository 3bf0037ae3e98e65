import Foundation
import Storage
import Tokenization
import Transformer

/// Text in, sentence embeddings out: a tokenizer, an encoder, and how to pool.
///
/// Loads either our own checkpoint (a `.safetensors` file written by `meta-train`, which
/// carries its vocabulary) or a HuggingFace BERT directory (`config.json`, `model.safetensors`,
/// `vocab.txt`), run as sentence-transformers runs it: mean pooling, L2 normalization.
public final class SentenceEncoder: @unchecked Sendable {
    public let tokenizer: Tokenizer
    public let encoder: BertEncoder<Float>
    /// Inputs are truncated to this many tokens, [CLS] and [SEP] included.
    public let maxLength: Int
    /// Where the model came from, for messages.
    public let path: String
    /// Tokens per forward pass: bounds activation memory while keeping GEMMs large.
    public var tokensPerBatch = 4096
    /// The background IDF for the hybrid score (words beside meaning), stored in the model file
    /// (`fewshot convert --lexicon`); nil for a model without one.
    public var lexicon: LexicalTable?
    /// The meta-train topics the open-set score measures a line's typicality against, stored in
    /// the model file (`fewshot convert --background`); nil for a model without them.
    public var background: BackgroundTopics?
    /// The per-task update the model was meta-trained to start from (`meta-train --method
    /// protomaml`), which `train` and `eval` make by default; nil for a model trained for its
    /// prototypes.
    public var trainedUpdate: TrainedUpdate?
    /// A second encoder whose embedding is set beside this one's (`fewshot convert --companion`);
    /// nil for a model of one encoder. Set it with `setCompanion`, which checks that it reads
    /// this model's tokens.
    public private(set) var companion: Companion?

    /// The width of an embedding: the encoder's, plus the companion's when there is one.
    public var dimension: Int { encoder.config.hidden + (companion?.dimension ?? 0) }

    public init(tokenizer: Tokenizer, encoder: BertEncoder<Float>, maxLength: Int, path: String) throws {
        guard tokenizer.vocabulary.count <= encoder.config.vocabularySize else {
            throw EncoderError.invalidModel(
                path: path, reason: "the vocabulary has \(tokenizer.vocabulary.count) tokens, the encoder \(encoder.config.vocabularySize)")
        }
        self.tokenizer = tokenizer
        self.encoder = encoder
        self.maxLength = min(maxLength, encoder.config.maxPositions)
        self.path = path
    }

    /// Loads a model file or a BERT directory.
    public static func load(_ path: String) throws -> SentenceEncoder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw StorageError.cannotOpen(path: path, reason: "no such file or directory")
        }
        if isDirectory.boolValue {
            let imported = try BertImport.load(directory: path)
            return try SentenceEncoder(
                tokenizer: try Tokenizer(vocabularyFile: imported.vocabularyPath), encoder: imported.encoder, maxLength: imported.maxLength,
                path: path)
        }
        let (encoder, metadata, file) = try EncoderCheckpoint.load(path)
        return try fromCheckpoint(encoder, metadata: metadata, file: file)
    }

    /// The model of a file `EncoderCheckpoint.load` read (an encoder file, or a classifier file
    /// that holds one), with the vocabulary and lexicon stored beside its weights; inputs
    /// truncated to `maxLength` (default: the encoder's positions).
    public static func fromCheckpoint(
        _ encoder: BertEncoder<Float>, metadata: EncoderCheckpoint.Metadata, file: SafeTensors.File, maxLength: Int? = nil
    ) throws -> SentenceEncoder {
        let model = try SentenceEncoder(
            tokenizer: try Tokenizer(vocabulary: metadata.vocabulary(path: file.path)), encoder: encoder,
            maxLength: maxLength ?? encoder.config.maxPositions, path: file.path)
        model.lexicon = try LexicalTable.load(from: file, metadata: metadata.extra)
        model.trainedUpdate = try TrainedUpdate.load(metadata: metadata.extra, path: file.path)
        model.companion = try Companion.load(
            from: file, metadata: metadata.extra, vocabularySize: encoder.config.vocabularySize, inputLength: model.maxLength)
        model.background = try BackgroundTopics.load(from: file, metadata: metadata.extra, dimension: model.dimension)
        return model
    }

    /// Sets (or with nil removes) the companion encoder. It must read this model's tokens: the
    /// same vocabulary size (the caller checks the vocabulary itself) and inputs as long. The
    /// background topics were embedded without it (or with another) and are dropped.
    public func setCompanion(_ companion: Companion?) throws {
        if let companion,
            let mismatch = Companion.mismatch(
                companion.encoder.config, vocabularySize: encoder.config.vocabularySize, inputLength: maxLength)
        {
            throw EncoderError.invalidModel(path: path, reason: "the companion: " + mismatch)
        }
        self.companion = companion
        background = nil
    }

    /// Embeddings of `sequences` whose encoder half `own` (unit rows, sequences × the encoder's
    /// width) is already computed: `own` itself, or joined with the companion's half.
    public func embeddings(own: [Float], of sequences: [[Int32]]) throws -> [Float] {
        guard let companion else { return own }
        return try companion.joined(own, ownDimension: encoder.config.hidden, sequences: sequences)
    }

    /// The encoder's half of unit embeddings (rows × `dimension`), each row made unit again:
    /// what the encoder alone gives, for an update of it that starts from their prototypes.
    public func ownPart(of rows: [Float]) -> [Float] {
        companion?.ownPart(of: rows, ownDimension: encoder.config.hidden) ?? rows
    }

    /// Token ids of each line, truncated to `maxLength`; a long list is split over the kernel
    /// threads (each part in order, each worker with its own scratch), which is what lets a
    /// static model's classify use both cores: for it, tokenizing is most of the work.
    public func tokenize(_ lines: [[UInt8]]) -> [[Int32]] {
        // About 32 lines (~100 µs of work) per worker repay waking it.
        Parallel.mapChunks(count: lines.count, minimumPerWorker: 32) { range in
            var scratch = Tokenizer.Scratch()
            return range.map { lines[$0].withUnsafeBufferPointer { self.tokenize($0, scratch: &scratch) } }
        }
    }

    /// Token ids of one line, reusing the caller's scratch buffers (for streaming input).
    public func tokenize(_ line: UnsafeBufferPointer<UInt8>, scratch: inout Tokenizer.Scratch) -> [Int32] {
        var ids: [Int32] = []
        tokenizer.encode(line, maxLength: maxLength, into: &ids, scratch: &scratch)
        return ids
    }

    /// L2-normalized embeddings of token sequences, row after row (count × dimension);
    /// `progress` hears the number of sequences done after each forward pass.
    public func embed(tokenized sequences: [[Int32]], progress: (Int) -> Void = { _ in }) throws -> [Float] {
        var result: [Float] = []
        result.reserveCapacity(sequences.count * dimension)
        var start = 0
        while start < sequences.count {
            var end = start
            var tokens = 0
            while end < sequences.count && (end == start || tokens + sequences[end].count <= tokensPerBatch) {
                tokens += sequences[end].count
                end += 1
            }
            let batch = Array(sequences[start..<end])
            let own = try encoder.forward(TokenBatch(sequences: batch), normalize: true)
            // Without a companion the encoder's rows are the embeddings: appended as they are.
            if companion == nil {
                result.append(contentsOf: own)
            } else {
                result.append(contentsOf: try embeddings(own: Array(own), of: batch))
            }
            start = end
            progress(start)
        }
        return result
    }

    /// Embeddings of lines of UTF-8 text.
    public func embed(lines: [[UInt8]]) throws -> [Float] {
        try embed(tokenized: tokenize(lines))
    }

    public func embed(_ texts: [String]) throws -> [Float] {
        try embed(lines: texts.map { Array($0.utf8) })
    }
}

extension SentenceEncoder {
    /// Writes the encoder as a checkpoint with its vocabulary, lexicon, background topics and
    /// trained update, plus the caller's metadata entries and tensors (a classifier's examples);
    /// `dtype` nil stores each tensor in the smallest type that loses nothing.
    public func save(
        to path: String, dtype: SafeTensors.DType? = .f32, extra: [String: String] = [:], extraOutputs: [SafeTensors.Output] = []
    ) throws {
        let extra = extra.merging(trainedUpdate?.entry ?? [:]) { mine, _ in mine }
        func write(_ outputs: [SafeTensors.Output], _ metadata: [String: String]) throws {
            try EncoderCheckpoint.save(
                encoder, metadata: .init(vocabulary: tokenizer.vocabulary, extra: extra.merging(metadata) { mine, _ in mine }),
                to: path, dtype: dtype, extraOutputs: outputs + extraOutputs)
        }
        /// Adds the companion's tensors and entries (when there is one) to the others'.
        func withCompanion(_ outputs: [SafeTensors.Output], _ metadata: [String: String]) throws {
            guard let companion else { return try write(outputs, metadata) }
            try companion.withOutputs(dtype: dtype) { try write(outputs + $0, metadata.merging($1) { mine, _ in mine }) }
        }
        /// Adds the background's tensor and entry (when there is one) to the lexicon's.
        func withBackground(_ outputs: [SafeTensors.Output], _ metadata: [String: String]) throws {
            guard let background else { return try withCompanion(outputs, metadata) }
            try background.withOutputs(dtype: dtype) { try withCompanion(outputs + $0, metadata.merging($1) { mine, _ in mine }) }
        }
        if let lexicon { try lexicon.withOutputs(withBackground) } else { try withBackground([], [:]) }
    }
}
