/// Prototypical Networks: on each N-way K-shot episode of the meta-train split, queries are
/// classified by their distance to the class means of the support embeddings, and the
/// cross-entropy of that flows back into the encoder (`Losses.prototypical`).
final class ProtoNetMethod: TrainingMethod {
    let head: LinearHead
    let sampler: EpisodeSampler

    init(data: TrainingData) throws {
        sampler = try data.episodeSampler()
        head = LinearHead(outputs: 0, inputs: data.model.dimension, seed: data.options.seed ^ 0xABCD)
    }

    func step(_ number: Int, data: TrainingData) throws -> StepResult {
        let options = data.options
        let d = data.model.dimension
        var loss = 0.0
        var accuracy = 0.0
        var examples = 0
        for part in 0..<options.episodesPerStep {
            let episode = sampler.episode(number * options.episodesPerStep + part)
            let rows = episode.support.flatMap { $0 } + episode.query.flatMap { $0 }
            let output = try data.encoder.forward(data.batch(rows), normalize: true, keepActivations: true)
            var gradient = [Float](repeating: 0, count: rows.count * d)
            let result = Losses.prototypical(
                UnsafePointer(output.baseAddress!), dimension: d, ways: options.ways, shots: options.shots, queries: options.queries,
                scale: options.scale, gradient: &gradient)
            try gradient.withUnsafeBufferPointer { try data.encoder.backward(outputGradient: $0.baseAddress!) }
            loss += result.loss / Double(options.episodesPerStep)
            accuracy += result.accuracy / Double(options.episodesPerStep)
            examples += rows.count
        }
        return StepResult(loss: loss, accuracy: accuracy, examples: examples)
    }
}
