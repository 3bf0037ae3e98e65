import Embedding
import Transformer

/// The token vectors entering the lowest adapted layer, for every example of a task, computed
/// once. A per-task update of the top layers never changes the layers below, so the check's
/// folds, the update that is kept, and the embeddings after each of them all start from these
/// rows: the frozen layers run once per task instead of twice per fold (once for the fold's
/// update, once to embed the examples after it). nil from `init` when every layer adapts.
struct FrozenStates {
    /// The first layer the update changes (≥ 1).
    let firstLayer: Int
    let sequences: [[Int32]]
    /// Every sequence's token vectors (tokens × hidden), back to back in sequence order.
    let states: [Float]
    /// Where each sequence's rows start in `states` (one more entry: the end).
    let offsets: [Int]

    init?(_ encoder: BertEncoder<Float>, sequences: [[Int32]], settings: AdaptationSettings) throws {
        let firstLayer = EncoderAdaptation.firstAdaptedLayer(settings, layers: encoder.config.layers)
        guard firstLayer > 0 else { return nil }
        self.firstLayer = firstLayer
        self.sequences = sequences
        let hidden = encoder.config.hidden
        states = try encoder.hiddenStates(TokenBatch(sequences: sequences), enteringLayer: firstLayer)
        var offsets = [0]
        for sequence in sequences { offsets.append(offsets.last! + sequence.count * hidden) }
        self.offsets = offsets
    }

    /// The rows of the sequences at `positions`, in that order: what `hiddenStates` gives for
    /// those sequences alone (each sequence's layers see only its own tokens).
    func rows(of positions: [Int]) -> [Float] {
        positions.flatMap { states[offsets[$0]..<offsets[$0 + 1]] }
    }

    /// The embeddings of `tokens` by `model`'s encoder as it is now: from `frozen`'s rows (whose
    /// sequences they are) when the lower layers are frozen, else through every layer; with the
    /// companion's half, which no update changes, either way.
    static func embeddings(of tokens: [[Int32]], by model: SentenceEncoder, from frozen: FrozenStates?) throws -> [Float] {
        guard let frozen else { return try model.embed(tokenized: tokens) }
        return try model.embeddings(own: try frozen.embeddings(model.encoder), of: tokens)
    }

    /// Every sequence's embedding (L2-normalized, sequences × hidden) by the encoder as it is
    /// now, its frozen layers skipped.
    func embeddings(_ encoder: BertEncoder<Float>) throws -> [Float] {
        try states.withUnsafeBufferPointer {
            Array(try encoder.forward(TokenBatch(sequences: sequences), fromLayer: firstLayer, input: $0.baseAddress!, normalize: true))
        }
    }
}
