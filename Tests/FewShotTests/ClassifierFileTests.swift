import Embedding
import Foundation
import Storage
import TestSupport
import Testing
import Transformer

@testable import FewShot

/// The `.fsc` file, version 4: what is saved loads back as the same classifier, damaged headers
/// are refused with a reason, and the files of versions 1 and 2 still load.
@Suite struct ClassifierFileTests {
    static let fixtures = "Tests/FewShotCLITests/Fixtures"
    static let queries = ["the team scored", "a quiet song", "", "guitars and goals"].map { Array($0.utf8) }

    static func saved(_ classifier: FewShotClassifier, _ name: String) throws -> String {
        let path = try TestFiles.directory().appendingPathComponent(name).path
        try classifier.save(to: path)
        return path
    }

    @Test func aSavedClassifierLoadsBackIdentical() throws {
        let single = try ExampleMemoryTests.trained(ExampleMemoryTests.examples)
        try single.fixTemperature(7)
        let multi = FewShotClassifier(model: ExampleMemoryTests.model, keepsTexts: false)
        try multi.addMultiLabel(ExampleMemoryTests.examples.map { ([$0.label, "any"], $0.text) })
        for (name, classifier) in [("single", single), ("multi", multi)] {
            let loaded = try FewShotClassifier.load(try Self.saved(classifier, "\(name).fsc"))
            #expect(loaded.labels == classifier.labels)
            #expect(loaded.fit == classifier.fit)
            #expect(loaded.memory == classifier.memory)
            #expect(loaded.sums == classifier.sums && loaded.counts == classifier.counts)
            #expect(try loaded.classify(lines: Self.queries) == classifier.classify(lines: Self.queries))
        }
    }

    /// Each stored tensor's type: F16 when every one of its values is an F16 value (the shipped
    /// models are stored so, and a classifier's file halves), F32 where adaptation has changed
    /// them: adapting the top layer leaves the embeddings and the layer below in F16. Either way
    /// the reloaded classifier gives the same outputs.
    @Test func eachTensorIsStoredInF16OnlyWhenThatLosesNothing() throws {
        let folder = try TestFiles.directory()
        let halfPath = folder.appendingPathComponent("half.safetensors").path
        try ExampleMemoryTests.model.save(to: halfPath, dtype: .f16)
        let half = try SentenceEncoder.load(halfPath)
        let classifier = FewShotClassifier(model: half)
        try classifier.add(ExampleMemoryTests.examples)
        func types(_ path: String) throws -> [String: SafeTensors.DType] {
            try SafeTensors.File(path: path).tensors.mapValues(\.dtype)
        }
        let embeddings = "embeddings.word_embeddings.weight"
        let lower = "encoder.layer.0.output.dense.weight"
        let top = "encoder.layer.1.output.dense.weight"
        let saved = try Self.saved(classifier, "half.fsc")
        let savedTypes = try types(saved)
        #expect(savedTypes[embeddings] == .f16 && savedTypes[top] == .f16)
        #expect(try FewShotClassifier.load(saved).classify(lines: Self.queries) == classifier.classify(lines: Self.queries))
        let full = try Self.saved(try ExampleMemoryTests.trained(ExampleMemoryTests.examples), "full.fsc")
        #expect(try types(full)[embeddings] == .f32, "the test model's random weights are not F16 values")
        try classifier.adapt(AdaptationSettings(steps: 2, layers: 1), choice: .always)
        let adapted = try Self.saved(classifier, "adapted.fsc")
        let adaptedTypes = try types(adapted)
        #expect(adaptedTypes[embeddings] == .f16 && adaptedTypes[lower] == .f16)
        #expect(adaptedTypes[top] == .f32)
        #expect(try FewShotClassifier.load(adapted).classify(lines: Self.queries) == classifier.classify(lines: Self.queries))
        let allF32 = folder.appendingPathComponent("adapted-f32.fsc").path
        try classifier.save(to: allF32, dtype: .f32)
        func size(_ path: String) throws -> Int { try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int }
        #expect(try size(adapted) < size(allF32))
    }

    @Test func theFitIsTheFitOfTheStoredExamples() throws {
        let classifier = try ExampleMemoryTests.trained(ExampleMemoryTests.examples)
        let memory = try classifier.requireMemory()
        // The scores the fit takes are the temperature fit's own leave-one-out scores.
        let scores = classifier.leaveOneOutScores(memory)
        let dense = TemperatureFit.leaveOneOutScores(
            embeddings: memory.embeddings, labels: memory.memberships.map { $0[0] }, sums: classifier.sums, counts: classifier.counts,
            dimension: classifier.model.dimension)
        #expect(TemperatureFit.fitted(dense, prior: TemperatureFit.prior) == classifier.fit.temperature)
        let refitted = ProbabilityFit.fitted(
            leaveOneOut: scores, memberships: memory.memberships, counts: classifier.counts, multiLabel: false, fixedTemperature: nil,
            lexicalWeight: nil)
        #expect(refitted == classifier.fit)
        #expect(classifier.fit.openSetThreshold != nil && classifier.fit.temperature != TemperatureFit.unfitted)
        // One example per label allows no fit: the values of a new classifier.
        let single = try ExampleMemoryTests.trained(Array(ExampleMemoryTests.examples.prefix(2)))
        #expect(single.fit == .unfitted(multiLabel: false, fixedTemperature: nil))
    }

    @Test func aDamagedHeaderIsRefusedWithItsReason() throws {
        let classifier = try ExampleMemoryTests.trained(ExampleMemoryTests.examples)
        let path = try Self.saved(classifier, "good.fsc")
        let key = "fewshot.extra.classifier.header"
        func header(_ edit: (inout [String: Any]) -> Void) throws -> String {
            let text = try EncoderCheckpoint.load(path).metadata.extra["classifier.header"]!
            var object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as! [String: Any]
            edit(&object)
            return String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        }
        let cases: [(String?, String)] = [
            (nil, "no valid classifier header"),
            ("{\"labels\": [", "no valid classifier header"),
            (try header { $0["labels"] = ["sport", "sport", "cooking"] }, "label 'sport' appears twice"),
            (
                try header {
                    var fit = $0["fit"] as! [String: Any]
                    fit["temperature"] = -1
                    $0["fit"] = fit
                }, "temperature -1.0"
            ),
            (
                try header {
                    var fit = $0["fit"] as! [String: Any]
                    fit["multiLabel"] = ["thresholds": [0.5], "slope": 20]
                    $0["fit"] = fit
                }, "1 multi-label thresholds for 3 labels"
            ),
            (try header { $0["labels"] = ["sport", "music"] }, "stored examples: label lists do not match the labels"),
        ]
        for (value, reason) in cases {
            let edited = try TestFiles.withMetadata(path, key, value)
            #expect(throws: StorageError.corrupted(path: edited, detail: reason)) { try FewShotClassifier.load(edited) }
        }
        let future = try TestFiles.withMetadata(path, "fewshot.extra.classifier.version", "5")
        #expect(throws: StorageError.unsupportedVersion(path: future, found: 5, supported: 4)) { try FewShotClassifier.load(future) }
    }

    @Test func versionTwoFilesLoadWithTheirExamplesAndCanChange() throws {
        for name in ["version2", "version2-notexts", "version2-merged", "version2-multilabel"] {
            let classifier = try FewShotClassifier.load(TestFiles.path("\(Self.fixtures)/\(name).fsc"))
            let memory = try classifier.requireMemory()
            #expect(memory.count == classifier.counts.reduce(0, +) || classifier.isMultiLabel, "\(name)")
            let withoutTexts = name.hasSuffix("notexts") || name.hasSuffix("merged")
            #expect((memory.texts == nil) == withoutTexts, "\(name)")
            let reloaded = try FewShotClassifier.load(try Self.saved(classifier, "\(name).fsc"))
            #expect(try reloaded.classify(lines: Self.queries) == classifier.classify(lines: Self.queries), "\(name)")
            try reloaded.keepLast(1)
            #expect(reloaded.counts.allSatisfy { $0 == 1 }, "\(name)")
        }
    }

    @Test func versionTwoSumsThatContradictTheExamplesAreRefused() throws {
        // The prototype sums of a version-2 file are checked against its examples; flip one sum.
        let path = TestFiles.path("\(Self.fixtures)/version2.fsc")
        let file = try SafeTensors.File(path: path)
        let info = file.tensors["classifier.prototype_sums"]!
        let length = Int(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        let offset = 8 + length + info.range.lowerBound
        data.replaceSubrange(offset..<offset + 4, with: withUnsafeBytes(of: Float(5).bitPattern.littleEndian) { Data($0) })
        let damaged = try TestFiles.directory().appendingPathComponent("v2-sums.fsc").path
        try data.write(to: URL(fileURLWithPath: damaged))
        // The data checksum catches the flip first; sealed again, the sums check does.
        #expect(throws: StorageError.corrupted(path: damaged, detail: "data checksum mismatch")) { try FewShotClassifier.load(damaged) }
        let unchecked = try TestFiles.withMetadata(damaged, "fewshot.checksum", nil)
        #expect(throws: StorageError.corrupted(path: unchecked, detail: "the stored examples do not match the prototype sums and counts")) {
            try FewShotClassifier.load(unchecked)
        }
    }
}
