import Embedding
import Foundation
import Transformer

/// The per-task update of an encoder to a handful of labelled sequences, shared by `train
/// --finetune-steps` (which keeps the result) and `eval --finetune-steps` (which measures it
/// per episode and puts the weights back).
///
/// Full batch, with AdamW, on one of two objectives (`AdaptationObjective`): a cosine
/// classifier whose weights start as the unit prototypes (so step 0 is exactly the prototype
/// classifier) trained with the encoder, or SetFit's pair loss on the embeddings alone. The
/// embedding tables stay frozen so words the examples do not contain keep their meaning; with
/// `layers` only the top layers adapt, and the layers below run once instead of at every step
/// (their output does not change); with an `anchor` the adapted weights are pulled back to where
/// they started (L2-SP, as meta-training anchors to its teacher). The optimizer holds moments for
/// the adapted weights alone. Deterministic: no sampling, the same sequences give the same weights.
public enum EncoderAdaptation {
    /// Adapts `model`'s encoder in place on `tokens`, the head starting as the unit prototypes of
    /// their present embeddings (the encoder's half of them, for a model with a companion): the
    /// update of a task that has no stored prototypes (an episode of `eval --finetune-steps` or of
    /// `meta-train --method protomaml`).
    public static func adaptFromPresentPrototypes(
        _ model: SentenceEncoder, tokens: [[Int32]], targets: [Int], classes: Int, settings: AdaptationSettings
    ) throws {
        let d = model.dimension
        let sums = Prototypes.sums(of: try model.embed(tokenized: tokens), labels: targets, labelCount: classes, dimension: d)
        try adapt(
            model.encoder, tokens: tokens, targets: targets, classes: classes,
            prototypes: model.ownPart(of: Prototypes.normalized(sums, dimension: d)), settings: settings)
    }

    /// Adapts `encoder` in place on `tokens` (one class position in 0..<classes per sequence).
    /// `prototypes` (classes × hidden, unit rows) start the head of the `.head` objective.
    /// `progress` hears the number of steps done after each step.
    public static func adapt(
        _ encoder: BertEncoder<Float>, tokens: [[Int32]], targets: [Int], classes: Int, prototypes: [Float],
        settings: AdaptationSettings, scale: Float = 10, progress: (Int) -> Void = { _ in }
    ) throws {
        try adapt(
            encoder, tokens: tokens, lowerStates: nil, targets: targets, classes: classes, prototypes: prototypes, settings: settings,
            scale: scale, progress: progress)
    }

    /// The first layer an update with `settings` changes: 0 when every layer adapts (and the
    /// embeddings' LayerNorm), else the lowest of the top `settings.layers`.
    static func firstAdaptedLayer(_ settings: AdaptationSettings, layers: Int) -> Int {
        settings.layers.map { $0 < layers ? layers - $0 : 0 } ?? 0
    }

    /// The same, with the token vectors entering the first adapted layer already computed for
    /// `tokens` (`FrozenStates.rows`), or nil to compute them here.
    static func adapt(
        _ encoder: BertEncoder<Float>, tokens: [[Int32]], lowerStates given: [Float]?, targets: [Int], classes: Int, prototypes: [Float],
        settings: AdaptationSettings, scale: Float = 10, progress: (Int) -> Void = { _ in }
    ) throws {
        let (steps, learningRate, objective, anchor) = (settings.steps, settings.learningRate, settings.objective, settings.anchor)
        let d = encoder.config.hidden
        precondition(tokens.count == targets.count && prototypes.count == classes * d)
        let head = Buffer<Float>(count: classes * d)
        for index in prototypes.indices { head[index] = prototypes[index] }
        let headGradients = Buffer<Float>(count: head.count)
        let headOptimizer = AdamW(count: head.count)
        let (layout, layerCount) = (encoder.layout, encoder.config.layers)
        // The top layers alone, or every layer with the embeddings' LayerNorm (never the tables).
        let firstLayer = firstAdaptedLayer(settings, layers: layerCount)
        let adapted = (firstLayer > 0 ? layout.layers[firstLayer].query : layout.embeddingNormWeight)..<layout.count
        let encoderOptimizer = AdamW(count: adapted.count)
        let start =
            anchor > 0 ? Array(UnsafeBufferPointer(start: encoder.parameters.pointer + adapted.lowerBound, count: adapted.count)) : []
        let batch = TokenBatch(sequences: tokens)
        let lowerStates = firstLayer == 0 ? [] : try given ?? encoder.hiddenStates(batch, enteringLayer: firstLayer)
        precondition(lowerStates.count == (firstLayer == 0 ? 0 : batch.tokenCount * d), "the lower states are those of `tokens`")
        for step in 0..<steps {
            // Gradients outside `adapted` are never read.
            (encoder.gradients.pointer + adapted.lowerBound).update(repeating: 0, count: adapted.count)
            headGradients.zero()
            let output =
                firstLayer > 0
                ? try lowerStates.withUnsafeBufferPointer {
                    try encoder.forward(batch, fromLayer: firstLayer, input: $0.baseAddress!, normalize: true, keepActivations: true)
                }
                : try encoder.forward(batch, normalize: true, keepActivations: true)
            var gradient = [Float](repeating: 0, count: tokens.count * d)
            switch objective {
            case .head:
                _ = CosineClassifierLoss.evaluate(
                    UnsafePointer(output.baseAddress!), rows: tokens.count, dimension: d, labels: targets, classes: classes,
                    scale: scale, weight: UnsafePointer(head.pointer), dWeight: headGradients.pointer, gradient: &gradient)
            case .pairs:
                _ = gradient.withUnsafeMutableBufferPointer {
                    CosinePairLoss.evaluate(
                        UnsafePointer(output.baseAddress!), rows: tokens.count, dimension: d, labels: targets, gradient: $0.baseAddress!)
                }
            }
            try gradient.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
            if anchor > 0 {
                let (g, p) = (encoder.gradients.pointer + adapted.lowerBound, encoder.parameters.pointer + adapted.lowerBound)
                for index in start.indices { g[index] += anchor * (p[index] - start[index]) }
            }
            encoderOptimizer.update(
                parameters: encoder.parameters, gradients: encoder.gradients, range: adapted, learningRate: learningRate, weightDecay: 0,
                decayed: [])
            if objective == .head {
                headOptimizer.update(
                    parameters: head, gradients: headGradients, learningRate: learningRate * AdaptationSettings.headLearningRateFactor,
                    weightDecay: 0,
                    decayed: [])
            }
            progress(step + 1)
        }
    }
}
