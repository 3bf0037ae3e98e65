import Foundation
import Transformer

extension FewShotClassifier {
    /// The adaptation's learning rate for the encoder (what `train --finetune-lr` defaults to).
    public static let adaptationLearningRate: Float = 3e-4
    /// The cosine head learns this many times faster than the encoder: it starts as the
    /// prototypes and must move in a few steps, while the encoder must stay close to its
    /// meta-trained weights.
    public static let headLearningRateFactor: Float = 20

    /// Adapts the encoder to this task's stored examples (`EncoderAdaptation`: a cosine head
    /// that starts as the prototypes, trained with the encoder, the embedding tables frozen).
    /// The examples are then embedded again with the adapted encoder (which the classifier file
    /// stores); the probabilities keep the fit made before. Needs the texts and a single-label
    /// classifier.
    ///
    /// Deterministic: no sampling, the same examples give the same classifier.
    /// `progress` hears the number of steps done after each step.
    public func adapt(
        steps: Int, learningRate: Float = adaptationLearningRate, scale: Float = 10, progress: (Int) -> Void = { _ in }
    ) throws {
        var memory = try requireMemory()
        guard let texts = memory.texts else { throw ClassifierError.noStoredTexts(model.path) }
        guard steps > 0, labels.count >= 2, !isMultiLabel else { return }
        let tokens = model.tokenize(texts)
        try EncoderAdaptation.adapt(
            model.encoder, tokens: tokens, targets: memory.memberships.map { $0[0] }, classes: labels.count, prototypes: prototypes(),
            steps: steps, learningRate: learningRate, headLearningRateFactor: Self.headLearningRateFactor, scale: scale, progress: progress)
        let d = model.dimension
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
