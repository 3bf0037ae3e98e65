import Corpus
import Embedding
import Transformer

/// One way of meta-training an encoder (ProtoNet, Proto-MAML, pretraining, distillation). The
/// trainer owns everything the methods share — schedule, clipping, AdamW, validation,
/// checkpoints — and asks the method for one step's gradients.
protocol TrainingMethod: AnyObject {
    /// The head trained beside the encoder (empty for the episodic methods); the trainer clips,
    /// updates and checkpoints it with the encoder.
    var head: LinearHead { get }

    /// Step `number`'s loss, training accuracy (when the method has one) and examples used.
    /// The trainer zeroes all gradients before; the method leaves this step's gradients summed
    /// in the encoder and head, and the encoder's weights as they were.
    func step(_ number: Int, data: TrainingData) throws -> StepResult
}

/// What a training step reports back to the trainer.
struct StepResult {
    let loss: Double
    let accuracy: Double?
    let examples: Int
}

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
            index: index, split: .train, ways: options.ways, shots: options.shots, queries: options.queries, seed: options.seed)
    }
}
