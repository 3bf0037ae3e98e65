import Foundation
import Storage

/// The per-task update a model was meta-trained to start from (`meta-train --method protomaml`):
/// how many adaptation steps at which learning rate. Such a model's plain prototypes are not what
/// it was trained for (they fall below those of the model it started from while its adapted ones
/// rise: models/README.md, "Meta-training for the update"), so `train` and `eval` make this update
/// by default for it. Stored in the model file's metadata under `update` as JSON; `convert` keeps
/// it, and a classifier whose encoder was adapted no longer holds it.
public struct TrainedUpdate: Codable, Sendable, Equatable {
    public var steps: Int
    public var learningRate: Float

    /// The metadata entry's key (under `fewshot.extra.`).
    static let metadataKey = "update"

    public init(steps: Int, learningRate: Float) {
        (self.steps, self.learningRate) = (steps, learningRate)
    }

    /// The metadata entry that stores it.
    public var entry: [String: String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        // Two numbers always encode.
        return [Self.metadataKey: String(decoding: try! encoder.encode(self), as: UTF8.self)]
    }

    /// The update a model file's metadata names, nil when it names none; an entry that is not
    /// a positive number of steps at a finite rate of 0 or more is a corrupted file.
    static func load(metadata: [String: String], path: String) throws -> TrainedUpdate? {
        guard let text = metadata[metadataKey] else { return nil }
        guard let update = try? JSONDecoder().decode(TrainedUpdate.self, from: Data(text.utf8)), update.steps >= 1,
            update.learningRate.isFinite, update.learningRate >= 0
        else {
            throw StorageError.corrupted(
                path: path, detail: "its per-task update entry '\(text)' is not steps ≥ 1 and a learning rate ≥ 0")
        }
        return update
    }
}
