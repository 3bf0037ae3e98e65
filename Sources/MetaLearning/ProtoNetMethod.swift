/// Prototypical Networks: on each N-way K-shot episode of the meta-train split, queries are
/// classified by their distance to the class means of the support embeddings, and the
/// cross-entropy of that flows back into the encoder (`Losses.prototypical`).
final class ProtoNetMethod: EpisodicMethod, TrainingMethod {
    func step(_ number: Int, data: TrainingData) throws -> StepResult {
        let options = data.options
        let d = data.model.dimension
        var loss = 0.0
        var accuracy = 0.0
        var examples = 0
        for part in 0..<options.episodesPerStep {
            let episode = sampler.episode(number * options.episodesPerStep + part)
            let rows = episode.support.flatMap { $0 } + episode.query.flatMap { $0 }
            let result = try data.train(on: rows, normalize: true) { embeddings, gradient in
                Losses.prototypical(
                    embeddings, dimension: d, ways: episode.ways, shots: episode.support[0].count, queries: episode.query[0].count,
                    scale: options.scale,
                    gradient: gradient)
            }
            loss += result.loss / Double(options.episodesPerStep)
            accuracy += result.accuracy / Double(options.episodesPerStep)
            examples += rows.count
        }
        return StepResult(loss: loss, accuracy: accuracy, examples: examples)
    }
}
