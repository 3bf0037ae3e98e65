import Corpus
import Embedding
import Transformer

/// What every method reads: the model being trained, the run's options and the meta-train
/// examples with their token ids for this model.
struct TrainingData {
    let index: CorpusIndex
    let model: SentenceEncoder
    let options: MetaTrainingOptions
    /// Meta-train example ids (the train split's labels, in label order).
    let examples: [Int]
    let tokens: [Int: [Int32]]

    var encoder: BertEncoder<Float> { model.encoder }

    func batch(_ examples: [Int]) -> TokenBatch { TokenBatch(sequences: examples.map { tokens[$0]! }) }

    /// One forward and backward pass over `examples`: `loss` reads their embeddings (B×C, L2-
    /// normalized when `normalize`) and writes its gradient with respect to them; that gradient
    /// then flows back into the encoder's gradients. Returns what the loss returned.
    func train<Result>(
        on examples: [Int], normalize: Bool, _ loss: (UnsafePointer<Float>, UnsafeMutablePointer<Float>) -> Result
    ) throws -> Result {
        let output = try encoder.forward(batch(examples), normalize: normalize, keepActivations: true)
        var gradient = [Float](repeating: 0, count: examples.count * model.dimension)
        let result = gradient.withUnsafeMutableBufferPointer { loss(UnsafePointer(output.baseAddress!), $0.baseAddress!) }
        try gradient.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
        return result
    }

    /// The meta-train episodes of protonet and protomaml.
    func episodeSampler() throws -> EpisodeSampler {
        try EpisodeSampler(
            index: index, split: .train, ways: options.ways, shots: options.shots, queries: options.queries, seed: options.seed,
            unknownClasses: options.openSetWays ?? 0, unknownOptional: true, smallFamilies: options.smallFamilies == true,
            familyWeights: options.familyWeights ?? [:])
    }
}
