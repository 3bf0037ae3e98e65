import Foundation

/// A count of finished episodes shared by the workers of `Evaluation.perEpisode`, for its
/// progress callback.
final class EpisodeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0

    /// Adds one and returns the new count.
    func increment() -> Int {
        lock.lock()
        defer { lock.unlock() }
        count += 1
        return count
    }
}
