import Embedding
import Testing
import Transformer

@testable import FewShot

/// The check that decides whether a classifier keeps its adapted encoder, and the fit it gives.
@Suite struct AdaptationCheckTests {
    static func weights(_ model: SentenceEncoder) -> [Float] {
        Array(UnsafeBufferPointer(start: model.encoder.parameters.pointer, count: model.encoder.layout.count))
    }

    @Test func foldsHoldOutOnlyLabelsWithTwoExamplesAndTheWeightsComeBack() throws {
        let model = ExampleMemoryTests.model
        let examples = ExampleMemoryTests.examples + [("law", Array("the judge ruled".utf8))]
        let labels = ["sport", "music", "cooking", "law"]
        let targets = examples.map { labels.firstIndex(of: $0.label)! }
        let before = Self.weights(model)
        let check = try AdaptationCheck.run(
            model: model, tokens: model.tokenize(examples.map(\.text)), targets: targets, classes: 4, lexical: nil,
            settings: AdaptationSettings(steps: 3, learningRate: 1e-2))
        #expect(Self.weights(model) == before, "the check puts the weights back")
        // sport 3, music 3, cooking 2: three folds; law's one example is never held out.
        #expect(check.folds == 3 && check.checked == 8)
        #expect(check.adaptedScores.last!.allSatisfy { $0 == nil })
        #expect(check.adaptedScores.dropLast().allSatisfy { $0.allSatisfy { $0 != nil } })
        #expect(check.adaptedScores != check.plainScores, "a learning rate above 0 moves the held-out scores")
        #expect(AdaptationCheck.foldCount(targets: [0, 1, 2], classes: 3) == 0)
        #expect(AdaptationCheck.foldCount(targets: Array(repeating: 0, count: 9) + [1, 1], classes: 2) == AdaptationCheck.folds)
    }

    @Test func adaptationPaysOnlyWithTwoMoreHeldOutExamplesCorrect() {
        func check(plain: Int, adapted: Int) -> AdaptationCheck {
            AdaptationCheck(
                folds: 2, checked: 10, plainCorrect: plain, adaptedCorrect: adapted, adaptedScores: [], plainScores: [], targets: [])
        }
        #expect(!check(plain: 5, adapted: 5).pays && !check(plain: 5, adapted: 6).pays)
        #expect(check(plain: 5, adapted: 7).pays && !check(plain: 7, adapted: 5).pays)
    }

    @Test func aZeroLearningRateTiesSoTheAutomaticChoiceKeepsTheClassifierAsItIs() throws {
        let classifier = try ExampleMemoryTests.trained(ExampleMemoryTests.examples)
        let (sums, fit) = (classifier.sums, classifier.fit)
        let (check, kept) = try classifier.adapt(AdaptationSettings(steps: 3, learningRate: 0))
        #expect(!kept && check != nil)
        #expect(check!.adaptedScores == check!.plainScores && check!.adaptedCorrect == check!.plainCorrect && !check!.pays)
        #expect(classifier.sums == sums && classifier.fit == fit)
    }

    @Test func aKeptAdaptationIsFittedOnTheChecksHeldOutScores() throws {
        let classifier = try ExampleMemoryTests.trained(ExampleMemoryTests.examples)
        let before = classifier.sums
        let (check, kept) = try classifier.adapt(AdaptationSettings(steps: 4, learningRate: 1e-2, objective: .pairs), choice: .always)
        #expect(kept)
        #expect(classifier.sums != before, "the examples are embedded again with the adapted encoder")
        let memory = try classifier.requireMemory()
        // By likelihood alone: the prior on T belongs to the encoder as shipped.
        let expected = ProbabilityFit.fitted(
            leaveOneOut: check!.adaptedScores, memberships: memory.memberships, counts: classifier.counts, multiLabel: false,
            fixedTemperature: nil, lexicalWeight: classifier.fit.lexicalWeight, temperaturePrior: nil)
        #expect(classifier.fit == expected)
        let withPrior = ProbabilityFit.fitted(
            leaveOneOut: check!.adaptedScores, memberships: memory.memberships, counts: classifier.counts, multiLabel: false,
            fixedTemperature: nil, lexicalWeight: classifier.fit.lexicalWeight)
        #expect(classifier.fit.temperature != withPrior.temperature)
        // The same examples and settings give the same classifier.
        let again = try ExampleMemoryTests.trained(ExampleMemoryTests.examples)
        try again.adapt(AdaptationSettings(steps: 4, learningRate: 1e-2, objective: .pairs), choice: .always)
        #expect(again.sums == classifier.sums && again.fit == classifier.fit)
    }

    @Test func theAnchorPullsTheWeightsBackTowardsWhereTheyStarted() throws {
        func drift(anchor: Float) throws -> Float {
            let model = ExampleMemoryTests.model
            let start = Self.weights(model)
            let examples = ExampleMemoryTests.examples
            let labels = ["sport", "music", "cooking"]
            try EncoderAdaptation.adapt(
                model.encoder, tokens: model.tokenize(examples.map(\.text)), targets: examples.map { labels.firstIndex(of: $0.label)! },
                classes: 3, prototypes: [Float](repeating: 0.1, count: 3 * model.dimension),
                settings: AdaptationSettings(steps: 30, learningRate: 1e-2, objective: .pairs, anchor: anchor))
            return zip(Self.weights(model), start).map { ($0 - $1) * ($0 - $1) }.reduce(0, +)
        }
        #expect(try drift(anchor: 50) < drift(anchor: 0))
    }

    /// `layers: 1` on the two-layer fixture moves the top layer alone: the bottom layer, the
    /// embedding tables and their LayerNorm keep their bits. As many layers as the encoder has is
    /// the whole update, to the bit.
    @Test func adaptingTheTopLayerMovesItAloneAndAllLayersIsTheWholeUpdate() throws {
        func adapted(layers: Int?) throws -> [Float] {
            let model = ExampleMemoryTests.model
            let examples = ExampleMemoryTests.examples
            let labels = ["sport", "music", "cooking"]
            try EncoderAdaptation.adapt(
                model.encoder, tokens: model.tokenize(examples.map(\.text)), targets: examples.map { labels.firstIndex(of: $0.label)! },
                classes: 3, prototypes: [Float](repeating: 0.1, count: 3 * model.dimension),
                settings: AdaptationSettings(steps: 5, learningRate: 1e-2, layers: layers))
            return Self.weights(model)
        }
        let model = ExampleMemoryTests.model
        let start = Self.weights(model)
        let top = model.encoder.layout.layers[1].query
        let topOnly = try adapted(layers: 1)
        #expect(Array(topOnly[..<top]) == Array(start[..<top]))
        #expect(topOnly[top...] != start[top...])
        let whole = try adapted(layers: nil)
        #expect(whole[model.encoder.layout.layers[0].query..<top] != start[model.encoder.layout.layers[0].query..<top])
        #expect(try adapted(layers: 2) == whole && adapted(layers: 5) == whole)
        #expect(try adapted(layers: 1) == topOnly, "deterministic")
    }

    /// With the top layer alone adapting, the layer below runs once per task (`FrozenStates`):
    /// its rows for some sequences are what that layer gives those sequences alone, the
    /// embeddings from them are the whole encoder's, and the check's held-out scores are the same
    /// to the bit as when every fold runs the frozen layer itself.
    @Test func theFrozenLayersRunOnceAndGiveWhatRunningThemEveryTimeGives() throws {
        let model = ExampleMemoryTests.model
        let examples = ExampleMemoryTests.examples
        let labels = ["sport", "music", "cooking"]
        let tokens = model.tokenize(examples.map(\.text))
        let targets = examples.map { labels.firstIndex(of: $0.label)! }
        let settings = AdaptationSettings(steps: 3, learningRate: 1e-2, layers: 1)
        #expect(try FrozenStates(model.encoder, sequences: tokens, settings: AdaptationSettings(steps: 3, learningRate: 1e-2)) == nil)
        let frozen = try #require(try FrozenStates(model.encoder, sequences: tokens, settings: settings))
        #expect(frozen.firstLayer == 1)
        #expect(Set(tokens.map(\.count)).count > 1, "sequences of different lengths")
        let alone = try model.encoder.hiddenStates(TokenBatch(sequences: [tokens[2], tokens[0]]), enteringLayer: 1)
        #expect(frozen.rows(of: [2, 0]) == alone)
        #expect(try frozen.embeddings(model.encoder) == model.embed(tokenized: tokens))
        func check(_ frozen: FrozenStates?) throws -> AdaptationCheck {
            try AdaptationCheck.run(
                model: model, tokens: tokens, frozen: frozen, targets: targets, classes: 3, lexical: nil, settings: settings)
        }
        let once = try check(frozen)
        let everyTime = try check(nil)
        #expect(once.adaptedScores == everyTime.adaptedScores && once.plainScores == everyTime.plainScores)
        #expect(once.adaptedScores != once.plainScores, "the update moved the scores")
    }

    /// With a companion encoder, the update changes the model's own encoder only: the stored
    /// examples' companion half is the companion's embedding as before, and the frozen layers'
    /// shortcut gives what running every layer gives, companion included.
    @Test func anUpdateOfAModelWithACompanionLeavesTheCompanionsHalf() throws {
        func joined() throws -> SentenceEncoder {
            let model = ExampleMemoryTests.model
            let config = EncoderConfig(
                layers: 0, hidden: 8, heads: 1, intermediate: 8, maxPositions: model.maxLength,
                vocabularySize: model.encoder.config.vocabularySize)
            let companion = try BertEncoder<Float>(config: config)
            companion.initializeLikeBERT(seed: 3)
            try model.setCompanion(try Companion(encoder: companion, weight: 0.5))
            return model
        }
        let model = try joined()
        let classifier = FewShotClassifier(model: model)
        try classifier.add(ExampleMemoryTests.examples)
        let before = try classifier.requireMemory().embeddings
        let (_, kept) = try classifier.adapt(AdaptationSettings(steps: 4, learningRate: 1e-2), choice: .always)
        #expect(kept)
        let after = try classifier.requireMemory().embeddings
        let (d, own) = (40, 32)
        #expect(after.count == before.count && before.count == ExampleMemoryTests.examples.count * d)
        for row in ExampleMemoryTests.examples.indices {
            #expect(Array(after[row * d + own..<(row + 1) * d]) == Array(before[row * d + own..<(row + 1) * d]))
            #expect(Array(after[row * d..<row * d + own]) != Array(before[row * d..<row * d + own]), "the model's own half moved")
        }
        // The top layer alone, from the frozen rows: the same classifier as running every layer.
        let tokens = model.tokenize(ExampleMemoryTests.examples.map(\.text))
        let other = try joined()
        let settings = AdaptationSettings(steps: 3, learningRate: 1e-2, layers: 1)
        let frozen = try #require(try FrozenStates(other.encoder, sequences: tokens, settings: settings))
        #expect(try FrozenStates.embeddings(of: tokens, by: other, from: frozen) == other.embed(tokenized: tokens))
    }
}
