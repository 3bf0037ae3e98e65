import Embedding
import Foundation
import Storage
import TestSupport
import Testing

@testable import FewShot

/// The stored examples of a `.fsc`: forgetting, capping, re-embedding and
/// merging each give the classifier trained on the examples that remain.
@Suite struct ExampleMemoryTests {
    /// One encoder per use: an encoder's scratch buffers are not shared between threads, and the tests run in parallel.
    static var model: SentenceEncoder { try! SentenceEncoder.load(TestFiles.path("Tests/EmbeddingTests/Fixtures/tiny-bert")) }

    static let examples: [(label: String, text: [UInt8])] = [
        ("sport", "the team won the match"), ("music", "the band played a song"), ("sport", "a goal in the last minute"),
        ("music", "a concert with guitars"), ("sport", "the runner finished first"), ("cooking", "bake the bread"),
        ("music", "the choir sang all night"), ("cooking", "stir the sauce slowly"),
    ].map { ($0.0, Array($0.1.utf8)) }

    static func trained(_ examples: [(label: String, text: [UInt8])], keepsTexts: Bool = true) throws -> FewShotClassifier {
        let classifier = FewShotClassifier(model: model, keepsTexts: keepsTexts)
        try classifier.add(examples)
        return classifier
    }

    /// Same labels, counts, fits, and sums within float rounding (sums add in another order).
    static func expectSame(_ a: FewShotClassifier, _ b: FewShotClassifier, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.labels == b.labels, sourceLocation: sourceLocation)
        #expect(a.counts == b.counts, sourceLocation: sourceLocation)
        #expect(a.sums.count == b.sums.count, sourceLocation: sourceLocation)
        #expect(zip(a.sums, b.sums).allSatisfy { abs($0 - $1) < 1e-5 }, sourceLocation: sourceLocation)
        #expect(abs(a.fit.temperature - b.fit.temperature) < 1e-3, sourceLocation: sourceLocation)
        let (aThreshold, bThreshold): (Float, Float) = (a.fit.openSetThreshold ?? -9, b.fit.openSetThreshold ?? -9)
        #expect(abs(aThreshold - bThreshold) < 1e-4, sourceLocation: sourceLocation)
        let (aLabels, bLabels) = (a.fit.multiLabel?.thresholds ?? [], b.fit.multiLabel?.thresholds ?? [])
        #expect(aLabels.count == bLabels.count && zip(aLabels, bLabels).allSatisfy { abs($0 - $1) < 1e-4 }, sourceLocation: sourceLocation)
        #expect(a.memory?.memberships == b.memory?.memberships, sourceLocation: sourceLocation)
    }

    @Test func forgettingAnExampleEqualsTrainingWithoutIt() throws {
        let classifier = try Self.trained(Self.examples)
        let touched = try classifier.forget([
            (["sport"], Array("a goal in the last minute".utf8)), (["music"], Array("the team won the match".utf8)),
        ])
        // The second request names the wrong label: it matches nothing.
        #expect(touched == [1, 0])
        var remaining = Self.examples
        remaining.remove(at: 2)
        Self.expectSame(classifier, try Self.trained(remaining))
    }

    @Test func everyStoredCopyIsForgottenAndAnEmptiedLabelGoes() throws {
        let classifier = try Self.trained(Self.examples + [Self.examples[5]])
        #expect(classifier.counts[classifier.labels.firstIndex(of: "cooking")!] == 3)
        let touched = try classifier.forget([
            (["cooking"], Array("bake the bread".utf8)), (["cooking"], Array("stir the sauce slowly".utf8)),
        ])
        #expect(touched == [2, 1])
        #expect(classifier.labels == ["sport", "music"])
        Self.expectSame(classifier, try Self.trained(Self.examples.filter { $0.label != "cooking" }))
    }

    @Test func keepLastCapsEachLabelAtItsMostRecentExamples() throws {
        let classifier = try Self.trained(Array(Self.examples.prefix(4)))
        try classifier.add(Array(Self.examples.dropFirst(4)))
        let dropped = try classifier.keepLast(2)
        // sport 3 → 2, music 3 → 2, cooking 2 → 2.
        #expect(dropped == 2)
        let expected = Self.examples.enumerated().filter { $0.offset != 0 && $0.offset != 1 }.map(\.element)
        Self.expectSame(classifier, try Self.trained(expected))
    }

    @Test func forgettingWorksWithoutTextsByFingerprint() throws {
        let classifier = try Self.trained(Self.examples, keepsTexts: false)
        #expect(classifier.memory?.texts == nil)
        #expect(try classifier.forget([(["music"], Array("the choir sang all night".utf8))]) == [1])
        #expect(throws: ClassifierError.noStoredTexts(classifier.model.path)) { try classifier.rebuilt(with: classifier.model) }
    }

    @Test func rebuildingWithTheSameEncoderReproducesTheClassifier() throws {
        let classifier = try Self.trained(Self.examples)
        Self.expectSame(try classifier.rebuilt(with: classifier.model), classifier)
    }

    @Test func multiLabelForgettingRemovesOnlyTheNamedLabels() throws {
        let model = Self.model
        let classifier = FewShotClassifier(model: model)
        let lines: [(labels: [String], text: [UInt8])] = [
            (["sport", "money"], "the club paid a record fee"), (["sport"], "the team won"), (["money"], "the bank raised rates"),
            (["money"], "stocks fell today"), (["sport"], "a late goal"),
        ].map { ($0.0, Array($0.1.utf8)) }
        try classifier.addMultiLabel(lines)
        #expect(try classifier.forget([(["money"], Array("the club paid a record fee".utf8))]) == [1])
        let expected = FewShotClassifier(model: model)
        try expected.addMultiLabel([(["sport"], lines[0].text)] + lines.dropFirst())
        Self.expectSame(classifier, expected)
    }

    @Test func mergingClassifiersThatKeepExamplesEqualsTrainingOnTheUnion() throws {
        let ours = try Self.trained(Array(Self.examples.prefix(5)))
        let theirs = try Self.trained(Array(Self.examples.dropFirst(5)))
        try ours.merge(theirs)
        Self.expectSame(ours, try Self.trained(Self.examples))
        // One side without texts: the union keeps embeddings only.
        let plain = try Self.trained(Array(Self.examples.prefix(5)))
        try plain.merge(try Self.trained(Array(Self.examples.dropFirst(5)), keepsTexts: false))
        #expect(plain.memory?.count == Self.examples.count && plain.memory?.texts == nil)
    }

    @Test func storedExamplesRoundTripThroughTheFile() throws {
        let folder = try TestFiles.directory()
        // Bytes that are not UTF-8 come back as they were.
        let odd: (label: String, text: [UInt8]) = ("music", [0x66, 0xFF, 0xFE, 0x20, 0x61])
        for keepsTexts in [true, false] {
            let classifier = try Self.trained(Self.examples + [odd], keepsTexts: keepsTexts)
            let path = folder.appendingPathComponent("memory-\(keepsTexts).fsc").path
            try classifier.save(to: path)
            let loaded = try FewShotClassifier.load(path)
            #expect(loaded.memory == classifier.memory)
            #expect(loaded.memory?.texts?.last == (keepsTexts ? odd.text : nil))
        }
    }

    @Test func aFileWhoseLabelHasNoStoredExampleIsRefused() throws {
        let classifier = try Self.trained(Self.examples)
        classifier.memory = classifier.memory!.selecting([0, 1], memberships: [[0], [1]])
        let path = try TestFiles.directory().appendingPathComponent("bad.fsc").path
        try classifier.save(to: path)
        #expect(throws: StorageError.corrupted(path: path, detail: "label 'cooking' has no stored example")) {
            try FewShotClassifier.load(path)
        }
    }

    @Test func aFileWithoutExamplesClassifiesButCannotChange() throws {
        let path = TestFiles.path("Tests/FewShotCLITests/Fixtures/version1.fsc")
        let classifier = try FewShotClassifier.load(path)
        #expect(classifier.memory == nil)
        #expect(try classifier.classify(lines: [Array("the team scored".utf8)])[0].ranked.count == 2)
        let refused = ClassifierError.noStoredExamples(path)
        #expect(throws: refused) { try classifier.keepLast(1) }
        #expect(throws: refused) { try classifier.add(Self.examples) }
        #expect(throws: refused) { try classifier.fixTemperature(7) }
        #expect(throws: refused) { try classifier.merge(try FewShotClassifier.load(path)) }
        #expect(throws: refused) { try classifier.save(to: try TestFiles.directory().appendingPathComponent("v1.fsc").path) }
    }
}
