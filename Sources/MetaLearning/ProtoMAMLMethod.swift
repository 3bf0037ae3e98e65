import FewShot
import Transformer

/// First-order Proto-MAML whose inner loop is the update `train --finetune-steps` makes: per
/// episode the encoder is adapted on the support set by `EncoderAdaptation` (the cosine head that
/// starts as the unit prototypes, AdamW, the embedding tables frozen), then the prototypical loss
/// of the whole episode at the adapted weights is the episode's meta-gradient, applied to the
/// weights before the update (first-order: the adaptation's own derivatives are dropped). So the
/// encoder is trained to be a good start for that very update, not for an update no command
/// makes. With `plainWeight` the episode's loss at the weights before the update joins it, since
/// the adapted loss alone lets the plain prototypes decay (12 points on validation, models/README.md
/// "Meta-training for the update"). The weights are put back after every episode.
final class ProtoMAMLMethod: EpisodicMethod, TrainingMethod {
    func step(_ number: Int, data: TrainingData) throws -> StepResult {
        let options = data.options
        let (encoder, d) = (data.encoder, data.model.dimension)
        let original = Array(encoder.parameters.buffer)
        var metaGradient = [Float](repeating: 0, count: original.count)
        var (loss, accuracy, examples) = (0.0, 0.0, 0)
        var (plainLoss, plainAccuracy) = (0.0, 0.0)
        let plainWeight = options.plainWeight ?? 0
        for part in 0..<options.episodesPerStep {
            let episode = sampler.episode(number * options.episodesPerStep + part)
            let support = episode.support.flatMap { $0 }
            let (shots, queries) = (episode.support[0].count, episode.query[0].count)
            let targets = (0..<episode.ways).flatMap { [Int](repeating: $0, count: shots) }
            let rows = support + episode.query.flatMap { $0 }
            func episodeLoss(times weight: Float) throws -> (loss: Double, accuracy: Double) {
                encoder.zeroGradients()
                let result = try data.train(on: rows, normalize: true) { embeddings, gradient in
                    let result = Losses.prototypical(
                        embeddings, dimension: d, ways: episode.ways, shots: shots, queries: queries, scale: options.scale,
                        gradient: gradient)
                    if weight != 1 { for index in 0..<rows.count * d { gradient[index] *= weight } }
                    return result
                }
                for index in metaGradient.indices { metaGradient[index] += encoder.gradients[index] }
                return result
            }
            if plainWeight > 0 {
                let plain = try episodeLoss(times: plainWeight)
                plainLoss += plain.loss / Double(options.episodesPerStep)
                plainAccuracy += plain.accuracy / Double(options.episodesPerStep)
            }
            try EncoderAdaptation.adaptFromPresentPrototypes(
                data.model, tokens: support.map { data.tokens[$0]! }, targets: targets, classes: episode.ways,
                settings: options.innerAdaptation)
            let result = try episodeLoss(times: 1)
            encoder.parameters.update(from: original, count: original.count)
            loss += result.loss / Double(options.episodesPerStep)
            accuracy += result.accuracy / Double(options.episodesPerStep)
            examples += rows.count
        }
        encoder.gradients.pointer.update(from: metaGradient, count: metaGradient.count)
        return StepResult(
            loss: loss, accuracy: accuracy, examples: examples, plainLoss: plainWeight > 0 ? plainLoss : nil,
            plainAccuracy: plainWeight > 0 ? plainAccuracy : nil)
    }
}
