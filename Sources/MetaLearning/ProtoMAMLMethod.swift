import Embedding
import Transformer

/// First-order Proto-MAML (as in Meta-Dataset): per episode, a linear head initialised from the
/// prototypes (W = 2·scale·c, b = −scale·‖c‖², exactly ProtoNet's logits) and the encoder take
/// `innerSteps` SGD steps on the support set; the query loss at the adapted weights is the
/// episode's meta-gradient, applied to the original weights (first-order: the adaptation's own
/// derivatives are dropped). The encoder's weights are restored after every episode.
final class ProtoMAMLMethod: EpisodicMethod, TrainingMethod {
    func step(_ number: Int, data: TrainingData) throws -> StepResult {
        let options = data.options
        let encoder = data.encoder
        let original = Array(encoder.parameters.buffer)
        var metaGradient = [Float](repeating: 0, count: original.count)
        var loss = 0.0
        var accuracy = 0.0
        var examples = 0
        for part in 0..<options.episodesPerStep {
            let episode = sampler.episode(number * options.episodesPerStep + part)
            let support = episode.support.flatMap { $0 }
            let queries = episode.query.flatMap { $0 }
            var head = try prototypeHead(support: support, data: data)
            for _ in 0..<options.innerSteps {
                encoder.zeroGradients()
                let gradients = try classify(support, labelsEach: options.shots, head: head, data: data).gradients
                for index in 0..<encoder.parameters.count {
                    encoder.parameters[index] -= options.innerLearningRate * encoder.gradients[index]
                }
                head.descend(gradients, rate: options.innerLearningRate)
            }
            encoder.zeroGradients()
            let result = try classify(queries, labelsEach: options.queries, head: head, data: data).result
            for index in metaGradient.indices { metaGradient[index] += encoder.gradients[index] }
            encoder.parameters.update(from: original, count: original.count)
            loss += result.loss / Double(options.episodesPerStep)
            accuracy += result.accuracy / Double(options.episodesPerStep)
            examples += support.count + queries.count
        }
        encoder.gradients.pointer.update(from: metaGradient, count: metaGradient.count)
        return StepResult(loss: loss, accuracy: accuracy, examples: examples)
    }

    /// An episode's head: weights and biases of its classes, ways × C and ways.
    struct EpisodeHead {
        var weight: [Float]
        var bias: [Float]

        mutating func descend(_ gradients: EpisodeHead, rate: Float) {
            for index in weight.indices { weight[index] -= rate * gradients.weight[index] }
            for index in bias.indices { bias[index] -= rate * gradients.bias[index] }
        }
    }

    /// The head whose logits are ProtoNet's: W = 2·scale·c, b = −scale·‖c‖² for each class mean c
    /// of the normalized support embeddings.
    func prototypeHead(support: [Int], data: TrainingData) throws -> EpisodeHead {
        let (ways, shots, scale, d) = (data.options.ways, data.options.shots, data.options.scale, data.model.dimension)
        let embeddings = Array(try data.encoder.forward(data.batch(support), normalize: true))
        let labels = (0..<ways).flatMap { [Int](repeating: $0, count: shots) }
        let means = Prototypes.means(
            Prototypes.sums(of: embeddings, labels: labels, labelCount: ways, dimension: d), counts: [Int](repeating: shots, count: ways),
            dimension: d)
        return EpisodeHead(
            weight: means.map { 2 * scale * $0 },
            bias: (0..<ways).map { k in -scale * means[k * d..<(k + 1) * d].reduce(0) { $0 + $1 * $1 } })
    }

    /// Forward and backward of the head's softmax cross-entropy on examples that come
    /// `labelsEach` per class, in class order: leaves the encoder's gradients, returns the head's.
    func classify(_ examples: [Int], labelsEach: Int, head: EpisodeHead, data: TrainingData) throws -> (
        result: (loss: Double, accuracy: Double), gradients: EpisodeHead
    ) {
        let ways = head.bias.count
        let labels = (0..<ways).flatMap { [Int](repeating: $0, count: labelsEach) }
        var gradients = EpisodeHead(weight: [Float](repeating: 0, count: head.weight.count), bias: [Float](repeating: 0, count: ways))
        let result = try data.train(on: examples, normalize: true) { embeddings, gradient in
            Losses.softmaxClassifier(
                embeddings, rows: examples.count, dimension: data.model.dimension, labels: labels, classes: ways, weight: head.weight,
                bias: head.bias, dWeight: &gradients.weight, dBias: &gradients.bias, gradient: gradient)
        }
        return (result, gradients)
    }
}
