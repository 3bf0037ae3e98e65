import Dispatch

/// A BERT encoder: token ids -> contextual token vectors -> masked mean pool -> (optionally L2
/// normalized) sentence embedding, with a hand-written backward pass.
///
/// Shape letters used throughout: B sequences, N tokens in the batch (packed, no padding),
/// L tokens of one sequence, C hidden, H heads, D = C/H head size, F feed-forward width,
/// V vocabulary, P positions.
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
    /// Per-worker Kᵀ scratch for attention (workers × D × L_max), reused across calls.
    let transposedKeys = Buffer<S>(count: 0)
    var batch: TokenBatch?
    var normalizedOutput = false

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

    public func zeroGradients() { gradients.zero() }

    // MARK: forward

    /// Encodes a batch. Returns the B×C sentence embeddings (mean of each sequence's final
    /// token vectors, L2-normalized when `normalize`), valid until the next call.
    /// With `keepActivations`, every layer's activations are kept for `backward`.
    @discardableResult
    @_specialize(where S == Float)
    public func forward(_ batch: TokenBatch, normalize: Bool, keepActivations: Bool = false) throws -> UnsafeMutableBufferPointer<S> {
        try validate(batch)
        let activations = prepareActivations(for: batch, training: keepActivations)
        self.batch = batch
        normalizedOutput = normalize
        let n = batch.tokenCount
        let c = config.hidden
        let w = parameters.pointer
        embeddingForward(batch, into: activations.embeddingSum.pointer)
        S.layerNormForward(
            activations.embeddingSum.pointer, gamma: w + layout.embeddingNormWeight, beta: w + layout.embeddingNormBias,
            y: activations.hidden[0].pointer, mean: activations.embeddingMean.pointer, rstd: activations.embeddingRstd.pointer,
            rows: n, columns: c, epsilon: S(config.layerNormEpsilon))
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

    /// e[t] = word[id[t]] + position[t − start(t)] + type[0].
    func embeddingForward(_ batch: TokenBatch, into e: UnsafeMutablePointer<S>) {
        let c = config.hidden
        let w = parameters.pointer
        let typeRow = w + layout.typeEmbeddings
        for sequence in 0..<batch.sequenceCount {
            for t in batch.starts[sequence]..<batch.starts[sequence + 1] {
                let word = w + layout.wordEmbeddings + Int(batch.ids[t]) * c
                let position = w + layout.positionEmbeddings + (t - batch.starts[sequence]) * c
                let out = e + t * c
                for j in 0..<c { out[j] = word[j] + position[j] + typeRow[j] }
            }
        }
    }

    /// One post-LN transformer layer: self-attention, residual, LayerNorm, GELU FFN, residual,
    /// LayerNorm.
    func layerForward(
        _ index: Int, input x: UnsafeMutablePointer<S>, output: UnsafeMutablePointer<S>, store a: LayerActivations<S>, batch: TokenBatch
    ) {
        let n = batch.tokenCount
        let c = config.hidden
        let f = config.intermediate
        let p = layout.layers[index]
        let w = parameters.pointer
        linear(x, weight: w + p.query, bias: w + p.queryBias, out: a.query.pointer, rows: n, inputs: c, outputs: c)
        linear(x, weight: w + p.key, bias: w + p.keyBias, out: a.key.pointer, rows: n, inputs: c, outputs: c)
        linear(x, weight: w + p.value, bias: w + p.valueBias, out: a.value.pointer, rows: n, inputs: c, outputs: c)
        attentionForward(a, batch: batch)
        linear(
            a.context.pointer, weight: w + p.attentionOutput, bias: w + p.attentionOutputBias, out: a.residual1.pointer, rows: n, inputs: c,
            outputs: c)
        add(x, into: a.residual1.pointer, count: n * c)
        S.layerNormForward(
            a.residual1.pointer, gamma: w + p.attentionNormWeight, beta: w + p.attentionNormBias, y: a.normed1.pointer,
            mean: a.mean1.pointer, rstd: a.rstd1.pointer, rows: n, columns: c, epsilon: S(config.layerNormEpsilon))
        linear(
            a.normed1.pointer, weight: w + p.intermediate, bias: w + p.intermediateBias, out: a.preActivation.pointer, rows: n, inputs: c,
            outputs: f)
        S.geluForward(a.preActivation.pointer, a.activated.pointer, count: n * f)
        linear(a.activated.pointer, weight: w + p.output, bias: w + p.outputBias, out: a.residual2.pointer, rows: n, inputs: f, outputs: c)
        add(a.normed1.pointer, into: a.residual2.pointer, count: n * c)
        S.layerNormForward(
            a.residual2.pointer, gamma: w + p.outputNormWeight, beta: w + p.outputNormBias, y: output,
            mean: a.mean2.pointer, rstd: a.rstd2.pointer, rows: n, columns: c, epsilon: S(config.layerNormEpsilon))
    }

    /// out[rows×outputs] = x[rows×inputs] · weightᵀ + bias (weight is outputs×inputs, as BERT's).
    func linear(
        _ x: UnsafePointer<S>, weight: UnsafePointer<S>, bias: UnsafePointer<S>, out: UnsafeMutablePointer<S>, rows: Int, inputs: Int,
        outputs: Int
    ) {
        for row in 0..<rows { (out + row * outputs).update(from: bias, count: outputs) }
        S.gemm(
            transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: weight, ldb: inputs, c: out,
            ldc: outputs, accumulate: true, threads: threads)
    }

    func add(_ x: UnsafePointer<S>, into y: UnsafeMutablePointer<S>, count: Int) {
        for index in 0..<count { y[index] += x[index] }
    }

    /// Per sequence and head: P = softmax(Q·Kᵀ/√D), context = P·V (P kept for backward).
    func attentionForward(_ a: LayerActivations<S>, batch: TokenBatch) {
        let c = config.hidden
        let heads = config.heads
        let d = config.headSize
        let scale = 1 / S(Double(d).squareRoot())
        let items = batch.sequenceCount * heads
        let pointers = AttentionPointers(
            query: a.query.pointer, key: a.key.pointer, value: a.value.pointer, context: a.context.pointer,
            probabilities: a.probabilities.pointer)
        let offsets = a.probabilityOffsets
        let workers = max(1, min(threads, items))
        let maxLength = batch.maxLength
        transposedKeys.resize(workers * d * maxLength)
        let keysT = SendableMutablePointer(transposedKeys.pointer)
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let keyT = keysT.pointer + worker * d * maxLength
            for item in stride(from: worker, to: items, by: workers) {
                let sequence = item / heads
                let head = item % heads
                let start = batch.starts[sequence]
                let length = batch.starts[sequence + 1] - start
                let base = start * c + head * d
                let probabilities = pointers.probabilities + offsets[sequence] + head * length * length
                // Kᵀ (D×L) makes the scores an A·B product, which small matrices run fastest.
                for t in 0..<length {
                    for x in 0..<d { keyT[x * length + t] = pointers.key[base + t * c + x] }
                }
                S.gemm(
                    transposeA: false, transposeB: false, m: length, n: length, k: d, a: pointers.query + base, lda: c, b: keyT,
                    ldb: length, c: probabilities, ldc: length, accumulate: false, threads: 1)
                S.softmaxForward(probabilities, rows: length, columns: length, stride: length, scale: scale)
                S.gemm(
                    transposeA: false, transposeB: false, m: length, n: d, k: length, a: probabilities, lda: length,
                    b: pointers.value + base, ldb: c, c: pointers.context + base, ldc: c, accumulate: false, threads: 1)
            }
        }
    }

    /// pooled[s] = mean of the token vectors of sequence s.
    func meanPoolForward(_ h: UnsafePointer<S>, batch: TokenBatch, into pooled: UnsafeMutablePointer<S>) {
        let c = config.hidden
        for sequence in 0..<batch.sequenceCount {
            let out = pooled + sequence * c
            out.update(repeating: 0, count: c)
            for t in batch.starts[sequence]..<batch.starts[sequence + 1] {
                for j in 0..<c { out[j] += h[t * c + j] }
            }
            let inverse = 1 / S(batch.length(sequence))
            for j in 0..<c { out[j] *= inverse }
        }
    }
}

struct SendableMutablePointer<S>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<S>
    init(_ pointer: UnsafeMutablePointer<S>) { self.pointer = pointer }
}

struct AttentionPointers<S>: @unchecked Sendable {
    let query: UnsafeMutablePointer<S>
    let key: UnsafeMutablePointer<S>
    let value: UnsafeMutablePointer<S>
    let context: UnsafeMutablePointer<S>
    let probabilities: UnsafeMutablePointer<S>
}

extension SeededRandom {
    /// A standard normal sample (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = Double(next() >> 11) * 0x1p-53 + 0x1p-54
        let u2 = Double(next() >> 11) * 0x1p-53
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}
