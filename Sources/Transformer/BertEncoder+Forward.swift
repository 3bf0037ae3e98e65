import Dispatch

/// The encoder's forward pass, top to bottom in the order the data flows: token ids → embeddings
/// (+ LayerNorm) → each transformer layer (self-attention, residual, LayerNorm, GELU FFN,
/// residual, LayerNorm, its dense layers `linear`) → masked mean pool → L2 normalization. The
/// row passes (LayerNorm, GELU, bias, residual) are in `BertEncoder+RowPasses`, the kernels with
/// their references in `Kernels/`; `BertEncoder+Backward` runs the same steps in reverse.
extension BertEncoder {
    /// Encodes a batch. Returns the B×C sentence embeddings (mean of each sequence's final
    /// token vectors, L2-normalized when `normalize`), valid until the next call.
    /// With `keepActivations`, every layer's activations are kept for `backward`.
    @discardableResult
    @_specialize(where S == Float)
    public func forward(_ batch: TokenBatch, normalize: Bool, keepActivations: Bool = false) throws -> UnsafeMutableBufferPointer<S> {
        try validate(batch)
        if config.isStatic && !keepActivations && S.self == Float.self { return staticForward(batch, normalize: normalize) }
        begin(batch, normalize: normalize, training: keepActivations, firstLayer: 0)
        embed(batch)
        return runLayers(batch, from: 0, to: config.layers, pool: true)
    }

    /// The token vectors entering layer `layer` (N×C; the embeddings' output for layer 0), at
    /// inference: what `forward(_:fromLayer:input:normalize:keepActivations:)` starts from, so
    /// that a per-task update of the top layers runs the frozen ones once, not at every step.
    @_specialize(where S == Float)
    public func hiddenStates(_ batch: TokenBatch, enteringLayer layer: Int) throws -> [S] {
        precondition((0...config.layers).contains(layer))
        try validate(batch)
        begin(batch, normalize: false, training: false, firstLayer: 0)
        embed(batch)
        let states = runLayers(batch, from: 0, to: layer, pool: false)
        return Array(states.prefix(batch.tokenCount * config.hidden))
    }

    /// Encodes a batch from the token vectors entering layer `first` (N×C, as `hiddenStates`
    /// gives them): layers first..<L, the pool and the normalization run; `backward` after it
    /// stops at layer `first`, so the layers below it and the embeddings get no gradient.
    @discardableResult
    @_specialize(where S == Float)
    public func forward(
        _ batch: TokenBatch, fromLayer first: Int, input: UnsafePointer<S>, normalize: Bool, keepActivations: Bool = false
    ) throws -> UnsafeMutableBufferPointer<S> {
        precondition((0...config.layers).contains(first))
        try validate(batch)
        let activations = begin(batch, normalize: normalize, training: keepActivations, firstLayer: first)
        activations.hidden[keepActivations ? first : first % 2].update(from: input, count: batch.tokenCount * config.hidden)
        return runLayers(batch, from: first, to: config.layers, pool: true)
    }

    /// Token ids → the input of layer 0 in `hidden[0]`: the summed embeddings, then their
    /// LayerNorm (none in a static encoder, where the token vectors' lengths are their weights).
    private func embed(_ batch: TokenBatch) {
        let activations = self.activations!
        let w = parameters.pointer
        if config.isStatic {
            embeddingForward(batch, into: activations.hidden[0].pointer)
            return
        }
        embeddingForward(batch, into: activations.embeddingSum.pointer)
        layerNorm(
            activations.embeddingSum.pointer, gamma: w + layout.embeddingNormWeight, beta: w + layout.embeddingNormBias,
            y: activations.hidden[0].pointer, mean: activations.embeddingMean.pointer, rstd: activations.embeddingRstd.pointer,
            rows: batch.tokenCount, columns: config.hidden)
    }

    /// Sizes the activations for `batch` and records what `backward` needs to know of this pass.
    @discardableResult
    private func begin(_ batch: TokenBatch, normalize: Bool, training: Bool, firstLayer: Int) -> Activations<S> {
        let activations = prepareActivations(for: batch, training: training)
        usesPackedWeights = packsWeightsAtInference && !training && S.self == Float.self
        self.batch = batch
        normalizedOutput = normalize
        firstForwardLayer = firstLayer
        return activations
    }

    /// Layers first..<last from `hidden[first]` (the alternating buffers at inference), then,
    /// when `pool`, the mean pool and the normalization `begin` asked for; otherwise the output
    /// of layer last − 1.
    private func runLayers(_ batch: TokenBatch, from first: Int, to last: Int, pool: Bool) -> UnsafeMutableBufferPointer<S> {
        let activations = self.activations!
        let keep = activations.keepsAll
        for layer in first..<last {
            let store = activations.layers[keep ? layer : 0]
            let input = activations.hidden[keep ? layer : layer % 2]
            let output = activations.hidden[keep ? layer + 1 : (layer + 1) % 2]
            layerForward(layer, input: input.pointer, output: output.pointer, store: store, batch: batch)
        }
        guard pool else { return activations.hidden[keep ? last : last % 2].buffer }
        let c = config.hidden
        let final = activations.hidden[keep ? config.layers : config.layers % 2]
        meanPoolForward(final.pointer, batch: batch, into: activations.pooled.pointer)
        if normalizedOutput {
            RowNormalization.forward(
                activations.pooled.pointer, into: activations.embeddings.pointer, norms: activations.norms.pointer,
                rows: batch.sequenceCount, columns: c)
            return activations.embeddings.buffer
        }
        return activations.pooled.buffer
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
        // Training keeps what backward needs (the probabilities, GELU's input); inference does not.
        let training = activations?.keepsAll ?? false
        linear(x, weight: w + p.query, bias: w + p.queryBias, out: a.query.pointer, rows: n, inputs: c, outputs: c)
        linear(x, weight: w + p.key, bias: w + p.keyBias, out: a.key.pointer, rows: n, inputs: c, outputs: c)
        linear(x, weight: w + p.value, bias: w + p.valueBias, out: a.value.pointer, rows: n, inputs: c, outputs: c)
        attentionForward(a, batch: batch, keepProbabilities: training)
        linear(
            a.context.pointer, weight: w + p.attentionOutput, bias: w + p.attentionOutputBias, out: a.residual1.pointer, rows: n, inputs: c,
            outputs: c, residual: x)
        layerNorm(
            a.residual1.pointer, gamma: w + p.attentionNormWeight, beta: w + p.attentionNormBias, y: a.normed1.pointer,
            mean: a.mean1.pointer, rstd: a.rstd1.pointer, rows: n, columns: c)
        linear(
            a.normed1.pointer, weight: w + p.intermediate, bias: w + p.intermediateBias, out: a.preActivation.pointer, rows: n, inputs: c,
            outputs: f, gelu: !training)
        if training { gelu(a.preActivation.pointer, a.activated.pointer, rows: n, columns: f) }
        let activated = training ? a.activated.pointer : a.preActivation.pointer
        linear(
            activated, weight: w + p.output, bias: w + p.outputBias, out: a.residual2.pointer, rows: n, inputs: f, outputs: c,
            residual: a.normed1.pointer)
        layerNorm(
            a.residual2.pointer, gamma: w + p.outputNormWeight, beta: w + p.outputNormBias, y: output,
            mean: a.mean2.pointer, rstd: a.rstd2.pointer, rows: n, columns: c)
    }

    /// Per sequence and head: P = softmax(Q·Kᵀ/√D), context = P·V, one head in one kernel call
    /// (`AttentionKernel`); P is kept for backward only when training.
    func attentionForward(_ a: LayerActivations<S>, batch: TokenBatch, keepProbabilities: Bool) {
        let split = AttentionHeads(config: config, batch: batch, probabilityOffsets: a.probabilityOffsets, threads: threads)
        let (c, d, scale): (Int, Int, S) = (split.hidden, split.headSize, split.scale())
        let pointers = AttentionPointers(
            query: a.query.pointer, key: a.key.pointer, value: a.value.pointer, context: a.context.pointer,
            probabilities: a.probabilities.pointer)
        let scratchCount = AttentionKernel.scratchCount(length: batch.maxLength, headSize: d)
        attentionScratch.resize(split.workers * scratchCount)
        let scratch = SendableMutablePointer(attentionScratch.pointer)
        Parallel.perform(iterations: split.workers) { worker in
            let myScratch = scratch.pointer + worker * scratchCount
            for item in stride(from: worker, to: split.items, by: split.workers) {
                let (base, length, offset) = split.slice(item)
                S.attentionHeadForward(
                    query: pointers.query + base, key: pointers.key + base, value: pointers.value + base, context: pointers.context + base,
                    stride: c, length: length, headSize: d, scale: scale,
                    probabilities: keepProbabilities ? pointers.probabilities + offset : nil, scratch: myScratch)
            }
        }
    }

    /// out[rows×outputs] = x[rows×inputs] · weightᵀ + bias (+ residual[rows×outputs]) (weight
    /// is outputs×inputs, as BERT's). With `gelu`, GELU is then applied in place. At inference
    /// the bias, residual and GELU ride in the product's epilogue (`GemmEpilogue`, the same bits
    /// as the separate passes); in training, and in Double, they are separate passes.
    func linear(
        _ x: UnsafePointer<S>, weight: UnsafePointer<S>, bias: UnsafePointer<S>, out: UnsafeMutablePointer<S>, rows: Int, inputs: Int,
        outputs: Int, residual: UnsafePointer<S>? = nil, gelu: Bool = false
    ) {
        if usesPackedWeights {
            // Float here (`forward` checks): the same memory, seen as Float.
            func float(_ pointer: UnsafePointer<S>) -> UnsafePointer<Float> {
                UnsafeRawPointer(pointer).assumingMemoryBound(to: Float.self)
            }
            let epilogue = GemmEpilogue(bias: float(bias), residual: residual.map(float), residualStride: outputs, gelu: gelu)
            Gemm.multiply(
                transposeA: false, m: rows, a: float(x), lda: inputs, packed: packedWeight(weight, inputs: inputs, outputs: outputs),
                c: UnsafeMutableRawPointer(out).assumingMemoryBound(to: Float.self), ldc: outputs, accumulate: false, epilogue: epilogue,
                threads: threads)
            return
        }
        fillRows(out, with: bias, rows: rows, columns: outputs)
        S.gemm(
            transposeA: false, transposeB: true, m: rows, n: outputs, k: inputs, a: x, lda: inputs, b: weight, ldb: inputs, c: out,
            ldc: outputs, accumulate: true, threads: threads)
        if let residual { add(residual, into: out, rows: rows, columns: outputs) }
        if gelu { self.gelu(out, out, rows: rows, columns: outputs) }
    }

    /// The weight (outputs×inputs) packed for inference, packed on first use after the
    /// parameters last changed.
    func packedWeight(_ weight: UnsafePointer<S>, inputs: Int, outputs: Int) -> PackedMatrix {
        if packedVersion != parameters.version {
            packedWeights.removeAll()
            packedVersion = parameters.version
        }
        let offset = weight - UnsafePointer(parameters.pointer)
        if let packed = packedWeights[offset] { return packed }
        let packed = PackedMatrix(
            transposed: true, UnsafeRawPointer(weight).assumingMemoryBound(to: Float.self), ldb: inputs, k: inputs, n: outputs)
        packedWeights[offset] = packed
        return packed
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
