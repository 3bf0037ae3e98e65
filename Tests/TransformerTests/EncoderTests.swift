import Foundation
import Testing

@testable import Transformer

@Suite struct EncoderTests {
    /// Three sequences of different lengths: packing them is what padding + mask does in BERT.
    static let sequences: [[Int32]] = [[2, 5, 9, 3, 16], [2, 7, 3], [2, 1, 4, 4, 8, 11, 3]]

    static func model<S: EncoderScalar>(_ type: S.Type, seed: UInt64 = 1, config: EncoderConfig = .tiny) throws -> BertEncoder<S> {
        let encoder = try BertEncoder<S>(config: config)
        encoder.initializeLikeBERT(seed: seed)
        // Larger weights than BERT's 0.02 so every path carries signal into the check.
        var random = SeededRandom(seed: seed + 100)
        for index in 0..<encoder.layout.count { encoder.parameters[index] += S(random.normal() * 0.3) }
        return encoder
    }

    /// d(Σ r·output)/dθ by backward, against central differences for every parameter (Double).
    /// Both shapes: BERT's, and the static one (no layers, no LayerNorm).
    @Test(arguments: [false, true], [EncoderConfig.tiny, .tinyStatic])
    func wholeModelGradientMatchesFiniteDifferences(normalize: Bool, config: EncoderConfig) throws {
        let encoder = try Self.model(Double.self, config: config)
        let batch = TokenBatch(sequences: Self.sequences)
        var random = SeededRandom(seed: 7)
        let outputs = batch.sequenceCount * encoder.config.hidden
        let weights = (0..<outputs).map { _ in random.normal() }
        func loss() throws -> Double {
            let output = try encoder.forward(batch, normalize: normalize)
            return zip(output, weights).map(*).reduce(0, +)
        }
        try encoder.forward(batch, normalize: normalize, keepActivations: true)
        encoder.zeroGradients()
        try weights.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
        let analytic = encoder.gradients.array
        var worst = 0.0
        var worstName = ""
        let h = 1e-5
        for tensor in encoder.layout.tensors {
            for index in tensor.offset..<tensor.offset + tensor.count {
                let saved = encoder.parameters[index]
                encoder.parameters[index] = saved + h
                let plus = try loss()
                encoder.parameters[index] = saved - h
                let minus = try loss()
                encoder.parameters[index] = saved
                let numeric = (plus - minus) / (2 * h)
                let error = abs(numeric - analytic[index]) / max(1e-3, abs(numeric) + abs(analytic[index]))
                if error > worst {
                    worst = error
                    worstName = "\(tensor.name)[\(index - tensor.offset)] numeric \(numeric) analytic \(analytic[index])"
                }
            }
        }
        #expect(worst < 1e-6, "worst relative error \(worst) at \(worstName)")
        // Rows of unused token ids and positions get no gradient.
        let unusedWord = encoder.layout.wordEmbeddings + 6 * encoder.config.hidden
        #expect((0..<encoder.config.hidden).allSatisfy { analytic[unusedWord + $0] == 0 })
    }

    @Test func floatModelMatchesDoubleModel() throws {
        let double = try Self.model(Double.self)
        let float = try BertEncoder<Float>(
            config: .tiny,
            parameters: {
                let buffer = Buffer<Float>(count: double.layout.count)
                for index in 0..<double.layout.count { buffer[index] = Float(double.parameters[index]) }
                return buffer
            }())
        let batch = TokenBatch(sequences: Self.sequences)
        let expected = Array(try double.forward(batch, normalize: true, keepActivations: true))
        let got = Array(try float.forward(batch, normalize: true, keepActivations: true))
        #expect(maxRelativeError(got, expected) < 1e-5)
        let weights = (0..<expected.count).map { Double($0 % 7) - 3 }
        double.zeroGradients()
        float.zeroGradients()
        try weights.withUnsafeBufferPointer { try double.backward(outputGradient: $0.baseAddress!) }
        try weights.map(Float.init).withUnsafeBufferPointer { try float.backward(outputGradient: $0.baseAddress!) }
        #expect(maxRelativeError(float.gradients.array, double.gradients.array) < 1e-4)
    }

    /// A pass from the token vectors entering layer `first` (what a per-task update of the top
    /// layers runs at every step) gives the whole pass's embeddings, and its backward gives the
    /// whole backward's gradients for layers first..<L and none below (Double: the same
    /// operations in the same order, so equal to the bit).
    @Test(arguments: [0, 1, 2])
    func passFromAHiddenLayerMatchesTheWholePass(first: Int) throws {
        let encoder = try Self.model(Double.self)
        let batch = TokenBatch(sequences: Self.sequences)
        var random = SeededRandom(seed: 9)
        let weights = (0..<batch.sequenceCount * encoder.config.hidden).map { _ in random.normal() }
        let whole = Array(try encoder.forward(batch, normalize: true, keepActivations: true))
        encoder.zeroGradients()
        try weights.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
        let wholeGradients = encoder.gradients.array

        let states = try encoder.hiddenStates(batch, enteringLayer: first)
        #expect(states.count == batch.tokenCount * encoder.config.hidden)
        let fromLayer = try states.withUnsafeBufferPointer {
            Array(try encoder.forward(batch, fromLayer: first, input: $0.baseAddress!, normalize: true, keepActivations: true))
        }
        #expect(fromLayer == whole)
        encoder.zeroGradients()
        try weights.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
        let gradients = encoder.gradients.array
        let layers = encoder.layout.layers
        // From the top (first == L) nothing runs but the pool: no gradient at all.
        let adapted = (first == 0 ? 0 : first < layers.count ? layers[first].query : encoder.layout.count)..<encoder.layout.count
        #expect(Array(gradients[adapted]) == Array(wholeGradients[adapted]))
        if first > 0 {
            #expect(gradients[..<adapted.lowerBound].allSatisfy { $0 == 0 }, "layers below \(first) and the embeddings")
            #expect(wholeGradients[layers[0].query..<adapted.lowerBound].contains { $0 != 0 })
        }
    }

    /// In Float the frozen layers run with packed weights at inference (`hiddenStates`) and the
    /// top ones without (training): the same embeddings up to rounding.
    @Test func floatPassFromAHiddenLayerMatchesTheWholePassToRounding() throws {
        let encoder = try Self.model(Float.self)
        let batch = TokenBatch(sequences: Self.sequences)
        let whole = Array(try encoder.forward(batch, normalize: true, keepActivations: true))
        let states = try encoder.hiddenStates(batch, enteringLayer: 1)
        let fromLayer = try states.withUnsafeBufferPointer {
            Array(try encoder.forward(batch, fromLayer: 1, input: $0.baseAddress!, normalize: true, keepActivations: true))
        }
        let difference = zip(whole, fromLayer).map { abs($0 - $1) }.max() ?? 0
        #expect(difference < 1e-5)
    }

    /// The static encoder's inference pass (`StaticPooling`, threads over sequences) against the
    /// general forward pass it replaces, which training runs: the same bits, alone or in a batch
    /// large enough to be split over threads, normalized or not.
    @Test(arguments: [false, true])
    func staticInferenceEqualsTheGeneralForwardPass(normalize: Bool) throws {
        let encoder = try Self.model(
            Float.self, config: EncoderConfig(layers: 0, hidden: 36, heads: 1, intermediate: 1, maxPositions: 12, vocabularySize: 17))
        var random = SeededRandom(seed: 3)
        let many = (0..<600).map { _ in (0..<(1 + Int(random.next() % 12))).map { _ in Int32(random.next() % 17) } }
        for sequences in [Self.sequences, many] {
            let batch = TokenBatch(sequences: sequences)
            let general = Array(try encoder.forward(batch, normalize: normalize, keepActivations: true))
            let fast = Array(try encoder.forward(batch, normalize: normalize))
            #expect(fast == general)
        }
        // A token's weight in the mean is the length of its vector (no LayerNorm undoes it): with
        // positions and type at zero, a token scaled down to 1% all but vanishes from the mean.
        let layout = encoder.layout
        for index in layout.positionEmbeddings..<layout.embeddingNormWeight { encoder.parameters[index] = 0 }
        for j in 0..<36 { encoder.parameters[layout.wordEmbeddings + 5 * 36 + j] *= 0.01 }
        encoder.parameters.markWritten()
        let pair = Array(try encoder.forward(TokenBatch(sequences: [[2, 5]]), normalize: true))
        let alone = Array(try encoder.forward(TokenBatch(sequences: [[2]]), normalize: true))
        #expect(maxRelativeError(pair, alone.map(Double.init)) < 0.05)
        #expect(EncoderConfig.preset("0x256", vocabularySize: 100)?.isStatic == true)
        #expect(EncoderConfig.preset("2x128", vocabularySize: 100)?.isStatic == false)
    }

    @Test func batchingAndPaddingDoNotChangeEmbeddings() throws {
        let encoder = try Self.model(Float.self)
        let together = Array(try encoder.forward(TokenBatch(sequences: Self.sequences), normalize: true))
        let c = encoder.config.hidden
        for (index, sequence) in Self.sequences.enumerated() {
            let alone = Array(try encoder.forward(TokenBatch(sequences: [sequence]), normalize: true))
            #expect(maxRelativeError(alone, Array(together[index * c..<(index + 1) * c]).map(Double.init)) < 1e-6)
        }
        let width = Self.sequences.map(\.count).max()!
        let padded = Self.sequences.map { $0 + [Int32](repeating: 0, count: width - $0.count) }
        let mask = Self.sequences.map { [Int32](repeating: 1, count: $0.count) + [Int32](repeating: 0, count: width - $0.count) }
        let fromMask = Array(try encoder.forward(TokenBatch(padded: padded, mask: mask), normalize: true))
        #expect(fromMask == together)
        let norms = (0..<3).map { row in (0..<c).map { together[row * c + $0] * together[row * c + $0] }.reduce(0, +) }
        #expect(norms.allSatisfy { abs($0 - 1) < 1e-5 })
    }

    @Test func invalidInputIsAnError() throws {
        let encoder = try Self.model(Float.self)
        #expect(throws: EncoderError.self) { try encoder.forward(TokenBatch(sequences: [[2, 99]]), normalize: false) }
        #expect(throws: EncoderError.self) { try encoder.forward(TokenBatch(sequences: [[]]), normalize: false) }
        #expect(throws: EncoderError.self) {
            try encoder.forward(TokenBatch(sequences: [[Int32](repeating: 1, count: 13)]), normalize: false)
        }
        #expect(throws: EncoderError.self) {
            try BertEncoder<Float>(
                config: EncoderConfig(layers: 1, hidden: 10, heads: 3, intermediate: 4, maxPositions: 4, vocabularySize: 4))
        }
    }
}
