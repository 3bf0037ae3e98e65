import Transformer

/// Non-episodic pretraining: a softmax classifier over all meta-train labels on batches of
/// `batchSize` random meta-train examples; the head is dropped after training.
final class PretrainMethod: TrainingMethod {
    let head: LinearHead
    /// Position of each train label id among the head's classes.
    let classOfLabel: [Int: Int]

    init(data: TrainingData) {
        let labels = data.index.labelIDs(split: .train)
        classOfLabel = Dictionary(uniqueKeysWithValues: labels.enumerated().map { ($1, $0) })
        head = LinearHead(outputs: labels.count, inputs: data.model.dimension, seed: data.options.seed ^ 0xABCD)
    }

    func step(_ number: Int, data: TrainingData) throws -> StepResult {
        let batch = RandomBatch.draw(number, data: data)
        let d = data.model.dimension
        let output = try data.encoder.forward(data.batch(batch), normalize: false, keepActivations: true)
        var gradient = [Float](repeating: 0, count: batch.count * d)
        let result = Losses.softmaxClassifier(
            UnsafePointer(output.baseAddress!), rows: batch.count, dimension: d,
            labels: batch.map { classOfLabel[data.index.label(of: $0)]! }, classes: head.outputs, weight: head.weight,
            bias: head.bias, dWeight: head.weightGradient, dBias: head.biasGradient, gradient: &gradient)
        try gradient.withUnsafeBufferPointer { try data.encoder.backward(outputGradient: $0.baseAddress!) }
        return StepResult(loss: result.loss, accuracy: result.accuracy, examples: batch.count)
    }
}
