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
            let unknown = episode.unknown.flatMap { $0 }
            let rows = episode.support.flatMap { $0 } + episode.query.flatMap { $0 } + unknown
            let (shots, queries) = (episode.support[0].count, episode.query[0].count)
            let result = try data.train(on: rows, normalize: true) { embeddings, gradient in
                // The prototypical loss writes the gradient of the support and known rows; the
                // unknown rows' starts at zero (the array is zeroed) and only the ranking adds to it.
                let closed = Losses.prototypical(
                    embeddings, dimension: d, ways: episode.ways, shots: shots, queries: queries, scale: options.scale,
                    gradient: gradient)
                guard !unknown.isEmpty, let weight = options.openSetWeight, weight > 0 else { return closed }
                let open = Losses.openSetRanking(
                    embeddings, dimension: d, ways: episode.ways, shots: shots, queries: queries, unknownRows: unknown.count,
                    sharpness: 2 * options.scale, weight: weight, gradient: gradient)
                return (closed.loss + Double(weight) * open.loss, closed.accuracy)
            }
            loss += result.loss / Double(options.episodesPerStep)
            accuracy += result.accuracy / Double(options.episodesPerStep)
            examples += rows.count
        }
        return StepResult(loss: loss, accuracy: accuracy, examples: examples)
    }
}
