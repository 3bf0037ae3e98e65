import Embedding
import FewShot
import Testing
import Transformer

@testable import MetaLearning

/// Proto-MAML's inner loop is `train --finetune-steps`'s update, and its meta-gradient the
/// episode's prototypical loss at the adapted weights.
@Suite struct ProtoMAMLMethodTests {
    /// With no adaptation steps the adapted weights are the weights, so every meta-train step is
    /// ProtoNet's: the same episodes give the same model to the bit.
    @Test func protomamlWithoutAdaptationStepsTrainsAsProtoNetDoes() throws {
        var options = MetaTrainerTests.options(.protomaml, steps: 6)
        options.innerSteps = 0
        let protomaml = try MetaTrainer(
            options: options, index: MetaTrainerTests.index, model: try MetaTrainerTests.model(), output: try MetaTrainerTests.output())
        try protomaml.run(report: { _ in })
        let protonet = try MetaTrainer(
            options: MetaTrainerTests.options(.protonet, steps: 6), index: MetaTrainerTests.index, model: try MetaTrainerTests.model(),
            output: try MetaTrainerTests.output())
        try protonet.run(report: { _ in })
        #expect(protomaml.model.encoder.parameters.array == protonet.model.encoder.parameters.array)
    }

    /// One step's gradients: the method's, and recomputed by hand the episode's prototypical loss
    /// gradient at the weights before the update (ProtoNet's) and at the weights `train`'s update
    /// (`EncoderAdaptation` on the support set, 3 steps) reaches. Also checks that the method puts
    /// the weights back.
    static func gradients(plainWeight: Float?) throws -> (method: [Float], protoNet: [Float], adapted: [Float]) {
        var options = MetaTrainerTests.options(.protomaml, steps: 1)
        options.innerSteps = 3
        options.innerLearningRate = 3e-2
        options.plainWeight = plainWeight
        let trainer = try MetaTrainer(
            options: options, index: MetaTrainerTests.index, model: try MetaTrainerTests.model(), output: try MetaTrainerTests.output())
        let before = trainer.model.encoder.parameters.array
        trainer.model.encoder.zeroGradients()
        _ = try trainer.method.step(0, data: trainer.data)
        let method = trainer.model.encoder.gradients.array
        #expect(trainer.model.encoder.parameters.array == before)

        let data = trainer.data
        let episode = try data.episodeSampler().episode(0)
        let support = episode.support.flatMap { $0 }
        let (ways, shots, d) = (episode.ways, episode.support[0].count, data.model.dimension)
        let targets = (0..<ways).flatMap { [Int](repeating: $0, count: shots) }
        func episodeLossGradient() throws -> [Float] {
            data.encoder.zeroGradients()
            _ = try data.train(on: support + episode.query.flatMap { $0 }, normalize: true) { embeddings, gradient in
                Losses.prototypical(
                    embeddings, dimension: d, ways: ways, shots: shots, queries: episode.query[0].count, scale: options.scale,
                    gradient: gradient)
            }
            return data.encoder.gradients.array
        }
        let protoNet = try episodeLossGradient()
        try EncoderAdaptation.adaptFromPresentPrototypes(
            data.model, tokens: support.map { data.tokens[$0]! }, targets: targets, classes: ways,
            settings: AdaptationSettings(steps: 3, learningRate: 3e-2))
        #expect(data.encoder.parameters.array != before)
        return (method, protoNet, try episodeLossGradient())
    }

    /// A protomaml model's file records the update it was trained to start from (so `train` makes
    /// it); a ProtoNet model's, or one of no adaptation steps, records none.
    @Test func aProtomamlModelRecordsItsUpdateInItsFile() throws {
        for (method, steps) in [(MetaTrainingOptions.Method.protomaml, 3), (.protomaml, 0), (.protonet, 3)] {
            var options = MetaTrainerTests.options(method, steps: 1)
            (options.innerSteps, options.innerLearningRate) = (steps, 0.125)
            let trainer = try MetaTrainer(
                options: options, index: MetaTrainerTests.index, model: try MetaTrainerTests.model(), output: try MetaTrainerTests.output())
            try trainer.run(report: { _ in })
            let expected = method == .protomaml && steps > 0 ? TrainedUpdate(steps: steps, learningRate: 0.125) : nil
            #expect(try SentenceEncoder.load(trainer.output).trainedUpdate == expected, "\(method) \(steps)")
        }
    }

    /// A protomaml run is validated as its model is used: adapted in every validation episode, as
    /// `eval --finetune-steps N --finetune-choice always` scores it, not by its plain prototypes.
    /// The inner rate is large enough that the update changes what the queries score.
    @Test func protomamlValidatesItsModelAfterTheUpdateItIsTrainedFor() throws {
        var options = MetaTrainerTests.options(.protomaml, steps: 1)
        (options.innerSteps, options.innerLearningRate) = (3, 0.3)
        (options.validationEpisodes, options.validationWays, options.validationShots, options.validationQueries) = (20, 2, 2, 4)
        options.validationFamily = nil
        let trainer = try MetaTrainer(
            options: options, index: MetaTrainerTests.index, model: try MetaTrainerTests.model(), output: try MetaTrainerTests.output())
        let sampler = try EpisodeSampler(
            index: MetaTrainerTests.index, split: .val, family: nil, ways: 2, shots: 2, queries: 4, seed: options.validationSeed)
        let adapted = Evaluation.run(
            AdaptedPrototypeClassifier(model: trainer.model, index: MetaTrainerTests.index, settings: options.innerAdaptation),
            sampler: sampler, episodes: 20
        ).mean
        let plain = Evaluation.run(
            try PrototypeClassifier(model: trainer.model, index: MetaTrainerTests.index, labels: sampler.classesByFamily.flatMap(\.labels)),
            sampler: sampler, episodes: 20
        ).mean
        #expect(try trainer.validate() == adapted)
        #expect(adapted != plain)
    }

    /// With a plain weight a step reports the episode's loss and accuracy before the update
    /// (ProtoNet's, at the weights the step starts from) beside the adapted ones; without one it
    /// reports none.
    @Test func aStepWithThePlainLossReportsTheLossBeforeTheUpdate() throws {
        for plainWeight in [nil, Float(0.5)] {
            var options = MetaTrainerTests.options(.protomaml, steps: 1)
            (options.innerSteps, options.innerLearningRate, options.plainWeight) = (3, 3e-2, plainWeight)
            let trainer = try MetaTrainer(
                options: options, index: MetaTrainerTests.index, model: try MetaTrainerTests.model(), output: try MetaTrainerTests.output())
            let data = trainer.data
            let episode = try data.episodeSampler().episode(0)
            let (ways, shots, queries) = (episode.ways, episode.support[0].count, episode.query[0].count)
            let before = try data.train(on: episode.support.flatMap { $0 } + episode.query.flatMap { $0 }, normalize: true) {
                Losses.prototypical(
                    $0, dimension: data.model.dimension, ways: ways, shots: shots, queries: queries, scale: options.scale, gradient: $1)
            }
            let result = try trainer.method.step(0, data: data)
            if plainWeight == nil {
                #expect(result.plainLoss == nil && result.plainAccuracy == nil)
            } else {
                #expect(result.plainLoss == before.loss && result.plainAccuracy == before.accuracy)
                #expect(result.loss != before.loss)
            }
        }
    }

    /// The meta-gradient is the episode's loss gradient at the adapted weights: not ProtoNet's.
    @Test func theMetaGradientIsTheEpisodeLossGradientAtTheWeightsTrainsUpdateReaches() throws {
        let gradients = try Self.gradients(plainWeight: nil)
        #expect(gradients.method == gradients.adapted)
        #expect(gradients.method != gradients.protoNet)
    }

    /// `plainWeight` W adds W times ProtoNet's gradient (up to rounding: the method scales the
    /// loss's gradient before the backward pass).
    @Test func thePlainWeightAddsProtoNetsGradientAtTheWeightsBeforeTheUpdate() throws {
        let gradients = try Self.gradients(plainWeight: 0.5)
        let expected = zip(gradients.adapted, gradients.protoNet).map { $0 + 0.5 * $1 }
        let scale = expected.map(abs).max() ?? 0
        #expect(scale > 0)
        #expect(zip(gradients.method, expected).allSatisfy { abs($0 - $1) <= 1e-5 * scale })
        #expect(zip(gradients.method, gradients.adapted).contains { abs($0 - $1) > 1e-3 * scale })
    }
}
