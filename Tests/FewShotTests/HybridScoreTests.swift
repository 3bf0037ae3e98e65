import Embedding
import Foundation
import Storage
import TestSupport
import Testing

@testable import FewShot

/// The hybrid score of words and meaning in the classifier: its word vectors are part of the
/// stored examples, so adding, forgetting, merging and re-embedding stay exact, and the file
/// keeps them.
@Suite struct HybridScoreTests {
    static let background = [
        "the team won the match", "a goal in the last minute", "the band played a song", "a concert with guitars",
        "bake the bread", "stir the sauce slowly", "the choir sang", "the runner finished first", "the oven and the bread",
        "a song for the match",
    ]

    /// The tiny encoder with a lexicon fitted on the background lines, at `weight`.
    static func model(weight: Float = 1) -> SentenceEncoder {
        let model = ExampleMemoryTests.model
        var lexicon = LexicalTable.fitted(documents: model.tokenize(background.map { Array($0.utf8) }), minimumDocumentFrequency: 1)
        lexicon.weight = weight
        model.lexicon = lexicon
        return model
    }

    static func trained(_ examples: [(label: String, text: [UInt8])], model: SentenceEncoder = model()) throws -> FewShotClassifier {
        let classifier = FewShotClassifier(model: model)
        try classifier.add(examples)
        return classifier
    }

    static let queries = ["the team scored a goal", "bread in the oven", "guitars and a song", ""].map { Array($0.utf8) }

    static func expectSameHybrid(_ a: FewShotClassifier, _ b: FewShotClassifier, sourceLocation: SourceLocation = #_sourceLocation) throws {
        ExampleMemoryTests.expectSame(a, b, sourceLocation: sourceLocation)
        #expect(a.activeLexicalWeight != nil && a.activeLexicalWeight == b.activeLexicalWeight, sourceLocation: sourceLocation)
        let (x, y) = (try a.classify(lines: queries), try b.classify(lines: queries))
        for (p, q) in zip(x, y) {
            #expect(p.ranked.map(\.label) == q.ranked.map(\.label), sourceLocation: sourceLocation)
            #expect(zip(p.ranked, q.ranked).allSatisfy { abs($0.probability - $1.probability) < 1e-4 }, sourceLocation: sourceLocation)
        }
    }

    @Test func wordsChangeTheScoresAndWeightZeroIsTheEmbeddingsAlone() throws {
        let examples = ExampleMemoryTests.examples
        let hybrid = try Self.trained(examples)
        let dense = try Self.trained(examples, model: ExampleMemoryTests.model)
        #expect(hybrid.activeLexicalWeight == 1 && dense.activeLexicalWeight == nil)
        #expect(try hybrid.classify(lines: Self.queries) != dense.classify(lines: Self.queries))
        try hybrid.setLexicalWeight(0)
        #expect(hybrid.activeLexicalWeight == nil)
        #expect(try hybrid.classify(lines: Self.queries) == dense.classify(lines: Self.queries))
        #expect(hybrid.fit.temperature == dense.fit.temperature)
        #expect(throws: ClassifierError.noLexicalVectors(dense.model.path)) { try dense.setLexicalWeight(1) }
    }

    @Test func updatingForgettingAndMergingStayExactWithWords() throws {
        let examples = ExampleMemoryTests.examples
        let updated = try Self.trained(Array(examples.prefix(4)))
        try updated.add(Array(examples.dropFirst(4)))
        try Self.expectSameHybrid(updated, try Self.trained(examples))
        let forgetting = try Self.trained(examples)
        #expect(try forgetting.forget([(["sport"], examples[2].text)]) == [1])
        var remaining = examples
        remaining.remove(at: 2)
        try Self.expectSameHybrid(forgetting, try Self.trained(remaining))
        let model = Self.model()
        let ours = try Self.trained(Array(examples.prefix(5)), model: model)
        try ours.merge(try Self.trained(Array(examples.dropFirst(5)), model: model))
        try Self.expectSameHybrid(ours, try Self.trained(examples, model: model))
        try Self.expectSameHybrid(try ours.rebuilt(with: model), ours)
    }

    @Test func theWordVectorsRoundTripThroughTheFileAndGoWithTheTexts() throws {
        let classifier = try Self.trained(ExampleMemoryTests.examples)
        let path = try TestFiles.directory().appendingPathComponent("hybrid.fsc").path
        try classifier.save(to: path)
        let loaded = try FewShotClassifier.load(path)
        #expect(loaded.model.lexicon == classifier.model.lexicon && loaded.memory == classifier.memory && loaded.fit == classifier.fit)
        #expect(try loaded.classify(lines: Self.queries) == classifier.classify(lines: Self.queries))
        // Without texts, no word vectors: the embeddings alone, as a classifier trained without texts.
        loaded.forgetTexts()
        #expect(loaded.memory?.lexicalTerms == nil && loaded.activeLexicalWeight == nil)
        let plain = FewShotClassifier(model: Self.model(), keepsTexts: false)
        try plain.add(ExampleMemoryTests.examples)
        ExampleMemoryTests.expectSame(loaded, plain)
        #expect(try loaded.classify(lines: Self.queries) == plain.classify(lines: Self.queries))
    }

    @Test func multiLabelClassifiersScoreWordsTooAndForgetExactly() throws {
        let lines: [(labels: [String], text: [UInt8])] = [
            (["sport", "money"], "the club paid for the match"), (["sport"], "the team won the match"), (["money"], "a song for money"),
            (["money"], "the bread costs money"), (["sport"], "a goal in the last minute"),
        ].map { ($0.0, Array($0.1.utf8)) }
        let classifier = FewShotClassifier(model: Self.model(weight: 2))
        try classifier.addMultiLabel(lines)
        #expect(classifier.isMultiLabel && classifier.activeLexicalWeight == 2)
        #expect(try classifier.forget([(["money"], lines[0].text)]) == [1])
        let expected = FewShotClassifier(model: Self.model(weight: 2))
        try expected.addMultiLabel([(["sport"], lines[0].text)] + lines.dropFirst())
        try Self.expectSameHybrid(classifier, expected)
    }

    @Test func mergingClassifiersWithOtherLexiconsIsRefused() throws {
        let ours = try Self.trained(Array(ExampleMemoryTests.examples.prefix(4)), model: Self.model(weight: 1))
        let theirs = try Self.trained(Array(ExampleMemoryTests.examples.dropFirst(4)), model: Self.model(weight: 2))
        #expect(throws: ClassifierError.self) { try ours.merge(theirs) }
    }
}
