import Foundation
import Testing

@testable import Transformer

/// The weights packed for inference never outlive the parameters they were packed from: after
/// each kind of write, inference gives what a fresh encoder with the new weights gives.
@Suite struct PackedWeightTests {
    static let batch = TokenBatch(sequences: EncoderTests.sequences)

    /// Inference embeddings of `encoder`, and of a fresh encoder holding a copy of its weights.
    static func embeddings(_ encoder: BertEncoder<Float>) throws -> (cached: [Float], fresh: [Float]) {
        let cached = Array(try encoder.forward(batch, normalize: true))
        let copy = try BertEncoder<Float>(config: encoder.config)
        copy.parameters.update(from: encoder.parameters.pointer, count: encoder.parameters.count)
        return (cached, Array(try copy.forward(batch, normalize: true)))
    }

    @Test func everyWriteOfTheParametersIsSeenByTheNextInference() throws {
        let encoder = try EncoderTests.model(Float.self)
        let before = try Self.embeddings(encoder).cached
        let writes: [(String, () throws -> Void)] = [
            (
                "an optimizer step",
                {
                    var random = SeededRandom(seed: 3)
                    for index in 0..<encoder.gradients.count { encoder.gradients[index] = Float(random.normal()) }
                    AdamW(count: encoder.layout.count).update(
                        parameters: encoder.parameters, gradients: encoder.gradients, learningRate: 1e-2, weightDecay: 0, decayed: [])
                }
            ),
            ("one element", { encoder.parameters[encoder.layout.count - 1] += 1 }),
            (
                "a copy",
                {
                    let other = try EncoderTests.model(Float.self, seed: 9)
                    encoder.parameters.update(from: other.parameters.pointer, count: other.parameters.count)
                }
            ),
            ("a re-initialization", { encoder.initializeLikeBERT(seed: 5) }),
        ]
        var previous = before
        for (name, write) in writes {
            try write()
            let (cached, fresh) = try Self.embeddings(encoder)
            #expect(cached == fresh, "after \(name)")
            #expect(cached != previous, "\(name) changed nothing")
            previous = cached
        }
    }

    @Test func theSameWeightsArePackedOnce() throws {
        let encoder = try EncoderTests.model(Float.self)
        _ = try encoder.forward(Self.batch, normalize: true)
        let version = encoder.packedVersion
        let packs = encoder.packedWeights.count
        _ = try encoder.forward(Self.batch, normalize: true)
        #expect(packs > 0 && encoder.packedVersion == version && encoder.packedWeights.count == packs)
    }
}
