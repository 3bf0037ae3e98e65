import Foundation
import Transformer

extension FewShotClassifier {
    /// The adaptation's learning rate for the encoder (what `train --finetune-lr` defaults to).
    public static let adaptationLearningRate: Float = 3e-4
    /// The cosine head learns this many times faster than the encoder: it starts as the
    /// prototypes and must move in a few steps, while the encoder must stay close to its
    /// meta-trained weights.
    public static let headLearningRateFactor: Float = 20

    /// Adapts the encoder to this task's stored examples: a cosine classifier whose weights start
    /// as the prototypes (so step 0 is exactly the prototype classifier) is trained jointly with
    /// the encoder on them, full batch, with AdamW; the embedding tables stay frozen so words the
    /// examples do not contain keep their meaning. The examples are then embedded again with the
    /// adapted encoder (which the classifier file stores); the probabilities keep the fit made
    /// before. Needs the texts and a single-label classifier.
    ///
    /// Deterministic: no sampling, the same examples give the same classifier.
    /// `progress` hears the number of steps done after each step.
    public func adapt(
        steps: Int, learningRate: Float = adaptationLearningRate, scale: Float = 10, progress: (Int) -> Void = { _ in }
    ) throws {
        var memory = try requireMemory()
        guard let texts = memory.texts else { throw ClassifierError.noStoredTexts(model.path) }
        guard steps > 0, labels.count >= 2, !isMultiLabel else { return }
        let d = model.dimension
        let encoder = model.encoder
        let tokens = model.tokenize(texts)
        let targets = memory.memberships.map { $0[0] }
        let head = Buffer<Float>(count: labels.count * d)
        let initial = prototypes()
        for index in initial.indices { head[index] = initial[index] }
        let headGradients = Buffer<Float>(count: head.count)
        let encoderOptimizer = AdamW(count: encoder.layout.count)
        let headOptimizer = AdamW(count: head.count)
        let frozen = [encoder.layout.wordEmbeddings..<encoder.layout.embeddingNormWeight]
        let batch = TokenBatch(sequences: tokens)
        for step in 0..<steps {
            encoder.zeroGradients()
            headGradients.zero()
            let output = try encoder.forward(batch, normalize: true, keepActivations: true)
            var gradient = [Float](repeating: 0, count: tokens.count * d)
            _ = CosineClassifierLoss.evaluate(
                UnsafePointer(output.baseAddress!), rows: tokens.count, dimension: d, labels: targets, classes: labels.count, scale: scale,
                weight: UnsafePointer(head.pointer), dWeight: headGradients.pointer, gradient: &gradient)
            try gradient.withUnsafeBufferPointer { try encoder.backward(outputGradient: $0.baseAddress!) }
            for range in frozen { (encoder.gradients.pointer + range.lowerBound).update(repeating: 0, count: range.count) }
            encoderOptimizer.update(
                parameters: encoder.parameters, gradients: encoder.gradients, learningRate: learningRate, weightDecay: 0, decayed: [])
            headOptimizer.update(
                parameters: head, gradients: headGradients, learningRate: learningRate * Self.headLearningRateFactor, weightDecay: 0,
                decayed: [])
            progress(step + 1)
        }
        memory.replaceEmbeddings(
            try model.embed(tokenized: tokens), dimension: d,
            lexical: memory.lexicalTerms == nil ? nil : model.lexicon.map { tokens.map($0.vector) })
        // The probabilities keep the fit of the encoder before adaptation: fitted leave-one-out on
        // examples the encoder was just trained on, they would be overconfident (which of the two
        // is better calibrated on new lines is for `eval --calibration` to measure).
        let fitBefore = fit
        replaceExamples(memory, labels: labels)
        fit = fitBefore
    }
}
