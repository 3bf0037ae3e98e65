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
        head = LinearHead(outputs: labels.count, inputs: data.model.dimension, runSeed: data.options.seed)
    }

    func step(_ number: Int, data: TrainingData) throws -> StepResult {
        let batch = RandomBatch.draw(number, data: data)
        let labels = batch.map { classOfLabel[data.index.label(of: $0)]! }
        let result = try data.train(on: batch, normalize: false) { embeddings, gradient in
            Losses.softmaxClassifier(
                embeddings, rows: batch.count, dimension: data.model.dimension, labels: labels, classes: head.outputs, weight: head.weight,
                bias: head.bias, dWeight: head.weightGradient, dBias: head.biasGradient, gradient: gradient)
        }
        return StepResult(loss: result.loss, accuracy: result.accuracy, examples: batch.count)
    }
}
