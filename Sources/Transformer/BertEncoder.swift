import Dispatch

/// A BERT encoder: token ids -> contextual token vectors -> masked mean pool -> (optionally L2
/// normalized) sentence embedding, with a hand-written backward pass.
///
/// Shapes in the comments follow `ShapeLegend`. The forward pass reads top to bottom in
/// `BertEncoder+Forward`, in the order the data flows, and the backward pass in reverse in
/// `BertEncoder+Backward` (LayerNorm, GELU and softmax are kernels with their references in
/// `Kernels/`; the final normalization is `RowNormalization`).
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
    /// The first layer the last forward pass ran (0 unless it started from `hiddenStates`):
    /// `backward` stops there.
    var firstForwardLayer = 0
    /// At inference (a forward without kept activations, in Float) the dense layers multiply by
    /// weights packed once (`PackedMatrix`, keyed by the weight's offset): faster, and a
    /// sentence's embedding no longer depends on the other sentences of its batch. Built on first
    /// use from `parameters` at `packedVersion`, and dropped as soon as the parameters' version
    /// moves on (`packedWeight`), so a pack can never outlive the weights it was made from.
    var packedWeights: [Int: PackedMatrix] = [:]
    var packedVersion = -1
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
        defer { parameters.markWritten() }
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

    /// Starts a training step: gradients to zero.
    public func zeroGradients() { gradients.zero() }
}
