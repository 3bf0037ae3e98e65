import Transformer

/// The example batch of a non-episodic step: `batchSize` meta-train examples drawn with
/// replacement from the step's own random stream (so a resumed run draws the same batches).
enum RandomBatch {
    static func draw(_ step: Int, data: TrainingData) -> [Int] {
        var random = SeededRandom(seed: data.options.seed, stream: UInt64(step))
        return (0..<data.options.batchSize).map { _ in data.examples[random.below(data.examples.count)] }
    }
}
