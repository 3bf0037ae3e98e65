import Embedding
import Foundation
import Transformer

extension FewShotClassifier {
    /// Adapts the encoder to this task's stored examples (`EncoderAdaptation`, the embedding
    /// tables frozen) when it pays, or always: first `AdaptationCheck` adapts it on folds of the
    /// examples and classifies the held-out ones with and without the update; with `.auto` the
    /// adapted encoder is kept only when it classified more of them correctly. A kept encoder is
    /// adapted on all examples, which are embedded again with it (the classifier file stores
    /// it), and the probabilities are fitted on the check's held-out adapted scores, since
    /// leave-one-out scores of examples the encoder was trained on would be overconfident. Needs
    /// the texts and a single-label classifier with two labels or more.
    ///
    /// Deterministic: no sampling, the same examples give the same classifier. `progress` hears
    /// the adaptation steps done out of `adaptationSteps(settings)`. Returns the check (nil when
    /// no label has two examples, so nothing could be checked) and whether the adapted encoder
    /// was kept.
    @discardableResult
    public func adapt(_ settings: AdaptationSettings, choice: AdaptationChoice = .auto, progress: (Int) -> Void = { _ in }) throws -> (
        check: AdaptationCheck?, kept: Bool
    ) {
        var memory = try requireMemory()
        guard let texts = memory.texts else { throw ClassifierError.noStoredTexts(model.path) }
        guard settings.steps > 0, labels.count >= 2, !isMultiLabel else { return (nil, false) }
        let tokens = model.tokenize(texts)
        let targets = memory.memberships.map { $0[0] }
        let lexical = activeLexicalWeight.map { weight in (weight, (0..<memory.count).map { memory.lexicalVector($0)! }) }
        let folds = AdaptationCheck.foldCount(targets: targets, classes: labels.count)
        // Without a check, only `.always` adapts: the frozen layers need not run otherwise.
        guard folds > 0 || choice == .always else { return (nil, false) }
        let frozen = try FrozenStates(model.encoder, sequences: tokens, settings: settings)
        let check =
            folds == 0
            ? nil
            : try AdaptationCheck.run(
                model: model, tokens: tokens, frozen: frozen, targets: targets, classes: labels.count, lexical: lexical,
                settings: settings, progress: progress)
        guard choice == .always || check?.pays == true else { return (check, false) }
        try EncoderAdaptation.adapt(
            model.encoder, tokens: tokens, lowerStates: frozen?.states, targets: targets, classes: labels.count,
            prototypes: model.ownPart(of: prototypes()),
            settings: settings
        ) { progress(folds * settings.steps + $0) }
        let embeddings = try FrozenStates.embeddings(of: tokens, by: model, from: frozen)
        guard embeddings.allSatisfy(\.isFinite) else { throw ClassifierError.adaptationDiverged(learningRate: settings.learningRate) }
        // The background topics were embedded by the encoder before the update: stale now; and
        // the update the model was meta-trained to start from is made.
        model.background = nil
        model.trainedUpdate = nil
        memory.replaceEmbeddings(
            embeddings, dimension: model.dimension,
            lexical: memory.lexicalTerms == nil ? nil : model.lexicon.map { tokens.map($0.vector) })
        let fitBefore = fit
        replaceExamples(memory, labels: labels)
        if let check {
            fit = .fitted(
                leaveOneOut: check.adaptedScores, memberships: memory.memberships, counts: counts, multiLabel: false,
                fixedTemperature: fit.temperatureIsFixed ? fit.temperature : nil, lexicalWeight: fit.lexicalWeight, temperaturePrior: nil)
        } else {
            fit = fitBefore
        }
        return (check, true)
    }

    /// The adaptation steps `adapt` makes on these examples: one adaptation per fold of the
    /// check and one on all examples (for the progress line).
    public func adaptationSteps(_ settings: AdaptationSettings) -> Int {
        let targets = memory?.memberships.compactMap(\.first) ?? []
        return (AdaptationCheck.foldCount(targets: targets, classes: labels.count) + 1) * settings.steps
    }
}
