import Foundation
import Storage
import TestSupport
import Testing

@testable import Embedding

/// The update a model was meta-trained for: stored in the model file's metadata, read back the
/// same, and a bad entry is a corrupted file, not a silent default.
@Suite struct TrainedUpdateTests {
    @Test func aModelFileKeepsItsTrainedUpdateAndAModelWithoutOneHasNone() throws {
        let model = try SentenceEncoder.load(TestFiles.path("Tests/EmbeddingTests/Fixtures/tiny-bert"))
        #expect(model.trainedUpdate == nil)
        let directory = FileManager.default.temporaryDirectory
        let plain = directory.appendingPathComponent("plain-\(UUID().uuidString).safetensors").path
        try model.save(to: plain)
        #expect(try SentenceEncoder.load(plain).trainedUpdate == nil)
        model.trainedUpdate = TrainedUpdate(steps: 20, learningRate: 3e-4)
        let trained = directory.appendingPathComponent("trained-\(UUID().uuidString).safetensors").path
        try model.save(to: trained, dtype: .f16)
        #expect(try SentenceEncoder.load(trained).trainedUpdate == TrainedUpdate(steps: 20, learningRate: 3e-4))
    }

    @Test func anEntryThatIsNotAnUpdateIsACorruptedFile() throws {
        let good = TrainedUpdate(steps: 7, learningRate: 0.25)
        #expect(try TrainedUpdate.load(metadata: good.entry, path: "m") == good)
        #expect(try TrainedUpdate.load(metadata: [:], path: "m") == nil)
        for text in [
            "", "{}", "{\"steps\":0,\"learningRate\":0.1}", "{\"steps\":3,\"learningRate\":-1}", "{\"steps\":3}",
            "{\"steps\":\"many\",\"learningRate\":0.1}", "[3, 0.1]",
        ] {
            #expect(throws: StorageError.self, "\(text)") { try TrainedUpdate.load(metadata: ["update": text], path: "m") }
        }
    }
}
