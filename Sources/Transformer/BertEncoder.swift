import Dispatch

/// A BERT encoder: token ids -> contextual token vectors -> masked mean pool -> (optionally L2
/// normalized) sentence embedding, with a hand-written backward pass.
///
/// Shapes in the comments follow `ShapeLegend`. The layers live in files of their own, each
/// with its forward and backward side by side: embeddings, attention, dense layers, the
/// transformer layer, mean pooling (LayerNorm, GELU and softmax are kernels; the final
/// normalization is `RowNormalization`).
///
/// Not thread-safe: one encoder holds one set of activations. Kernels use all cores inside.
public final class BertEncoder<S: EncoderScalar>: @unchecked Sendable {
    public let config: EncoderConfig
    public let layout: ParameterLayout
    /// All weights, laid out by `layout`.
    public let parameters: Buffer<S>
    /// Gradients in the same layout, accumulated by `backward`; zeroed by `zeroGradients`.
    public private(set) lazy var gradients = Buffer<S>(count: layout.count)

    /// Threads the kernels may use.
    public var threads = Parallel.threads

    var activations: Activations<S>?
    var backwardBuffers: BackwardBuffers<S>?
    /// Per-worker attention scratch (Kᵀ and the scores, `AttentionKernel.scratchCount`), reused
    /// across calls.
    let attentionScratch = Buffer<S>(count: 0)
    var batch: TokenBatch?
    var normalizedOutput = false
    /// At inference (a forward without kept activations, in Float) the dense layers multiply by
    /// weights packed once (`PackedMatrix`, keyed by the weight's offset): faster, and a
    /// sentence's embedding no longer depends on the other sentences of its batch. Built on first
    /// use, dropped whenever the weights may change (`parametersChanged`, `zeroGradients`, a
    /// training forward).
    var packedWeights: [Int: PackedMatrix] = [:]
    var usesPackedWeights = false
    /// Off only to measure what packing once saves (`fewshot bench encode`); the embeddings then
    /// depend, in their last bits, on the batch.
    public var packsWeightsAtInference = true

    public init(config: EncoderConfig, parameters: Buffer<S>? = nil) throws {
        try config.validate()
        self.config = config
        layout = ParameterLayout(config: config)
        if let parameters {
            guard parameters.count == layout.count else {
                throw EncoderError.invalidConfig(
                    "parameter buffer holds \(parameters.count) values, the configuration needs \(layout.count)")
            }
            self.parameters = parameters
        } else {
            self.parameters = Buffer<S>(count: layout.count)
            initializeLikeBERT(seed: 0)
        }
    }

    /// BERT's initialization: weights and embeddings ~ N(0, 0.02²), biases 0, LayerNorm 1 and 0.
    public func initializeLikeBERT(seed: UInt64) {
        parametersChanged()
        var random = SeededRandom(seed: seed)
        for tensor in layout.tensors {
            let target = parameters.pointer + tensor.offset
            if tensor.name.hasSuffix("LayerNorm.weight") {
                target.update(repeating: 1, count: tensor.count)
            } else if tensor.name.hasSuffix(".bias") {
                target.update(repeating: 0, count: tensor.count)
            } else {
                for index in 0..<tensor.count { target[index] = S(random.normal() * 0.02) }
            }
        }
    }

    /// Starts a training step: gradients to zero, and the packed weights (about to change) dropped.
    public func zeroGradients() {
        gradients.zero()
        parametersChanged()
    }

    /// Must follow any change to `parameters` made outside a training step (restoring saved
    /// weights), so that inference does not multiply by stale packed copies.
    public func parametersChanged() { packedWeights.removeAll() }

    // MARK: forward

    /// Encodes a batch. Returns the B×C sentence embeddings (mean of each sequence's final
    /// token vectors, L2-normalized when `normalize`), valid until the next call.
    /// With `keepActivations`, every layer's activations are kept for `backward`.
    @discardableResult
    @_specialize(where S == Float)
    public func forward(_ batch: TokenBatch, normalize: Bool, keepActivations: Bool = false) throws -> UnsafeMutableBufferPointer<S> {
        try validate(batch)
        let activations = prepareActivations(for: batch, training: keepActivations)
        usesPackedWeights = packsWeightsAtInference && !keepActivations && S.self == Float.self
        if keepActivations { parametersChanged() }
        self.batch = batch
        normalizedOutput = normalize
        let n = batch.tokenCount
        let c = config.hidden
        let w = parameters.pointer
        embeddingForward(batch, into: activations.embeddingSum.pointer)
        layerNorm(
            activations.embeddingSum.pointer, gamma: w + layout.embeddingNormWeight, beta: w + layout.embeddingNormBias,
            y: activations.hidden[0].pointer, mean: activations.embeddingMean.pointer, rstd: activations.embeddingRstd.pointer,
            rows: n, columns: c)
        for layer in 0..<config.layers {
            let store = activations.layers[keepActivations ? layer : 0]
            let input = activations.hidden[keepActivations ? layer : layer % 2]
            let output = activations.hidden[keepActivations ? layer + 1 : (layer + 1) % 2]
            layerForward(layer, input: input.pointer, output: output.pointer, store: store, batch: batch)
        }
        let last = activations.hidden[keepActivations ? config.layers : config.layers % 2]
        meanPoolForward(last.pointer, batch: batch, into: activations.pooled.pointer)
        if normalize {
            RowNormalization.forward(
                activations.pooled.pointer, into: activations.embeddings.pointer, norms: activations.norms.pointer,
                rows: batch.sequenceCount, columns: c)
            return activations.embeddings.buffer
        }
        return activations.pooled.buffer
    }

    /// The final token vectors (N×C, packed like the batch) of the last `forward`.
    public var tokenOutputs: UnsafeMutableBufferPointer<S>? {
        guard let activations, let batch else { return nil }
        let last = activations.hidden[activations.keepsAll ? config.layers : config.layers % 2]
        return UnsafeMutableBufferPointer(start: last.pointer, count: batch.tokenCount * config.hidden)
    }

    func validate(_ batch: TokenBatch) throws {
        for sequence in 0..<batch.sequenceCount {
            let length = batch.length(sequence)
            guard length >= 1 else { throw EncoderError.invalidInput("sequence \(sequence) is empty") }
            guard length <= config.maxPositions else {
                throw EncoderError.invalidInput(
                    "sequence \(sequence) has \(length) tokens; the encoder has \(config.maxPositions) positions")
            }
        }
        for id in batch.ids where id < 0 || Int(id) >= config.vocabularySize {
            throw EncoderError.invalidInput("token id \(id) is outside the vocabulary (size \(config.vocabularySize))")
        }
    }

    func prepareActivations(for batch: TokenBatch, training: Bool) -> Activations<S> {
        let activations = self.activations ?? Activations<S>()
        activations.resize(config: config, batch: batch, keepAll: training)
        self.activations = activations
        return activations
    }

}
