import Dispatch
import Foundation
import Transformer

/// Anything that can classify an episode's queries from its support set.
public protocol EpisodeClassifier: Sendable {
    /// For each class's queries, in order, the predicted class position (0..<ways).
    func predict(_ episode: Episode) -> [[Int]]
}

/// The standard protocol's summary: mean accuracy over episodes with its 95% interval.
public struct AccuracySummary: Sendable, Equatable {
    public let episodes: Int
    /// Mean of per-episode accuracies, in [0, 1].
    public let mean: Double
    /// Sample standard deviation of per-episode accuracies.
    public let standardDeviation: Double
    /// Half-width of the 95% confidence interval: 1.96 · std / √n.
    public let confidence95: Double

    public init(accuracies: [Double]) {
        episodes = accuracies.count
        let n = Double(accuracies.count)
        let mean = accuracies.reduce(0, +) / max(n, 1)
        self.mean = mean
        let variance = accuracies.count > 1 ? accuracies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : 0
        standardDeviation = variance.squareRoot()
        confidence95 = accuracies.count > 1 ? 1.96 * standardDeviation / n.squareRoot() : .nan
    }
}

public enum Evaluation {
    /// Accuracy of one episode: the fraction of all queries classified as their class.
    public static func accuracy(_ predictions: [[Int]], of episode: Episode) -> Double {
        var correct = 0
        var total = 0
        for (position, predicted) in predictions.enumerated() {
            correct += predicted.filter { $0 == position }.count
            total += predicted.count
        }
        return total == 0 ? 0 : Double(correct) / Double(total)
    }

    /// Runs `episodes` episodes of `sampler` through `classifier`, on all cores; the result does
    /// not depend on the number of threads.
    public static func run(
        _ classifier: some EpisodeClassifier, sampler: EpisodeSampler, episodes: Int
    ) -> AccuracySummary {
        let accuracies = AccuracyBuffer(count: episodes)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, episodes))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for number in stride(from: worker, to: episodes, by: workers) {
                let episode = sampler.episode(number)
                accuracies.set(number, accuracy(classifier.predict(episode), of: episode))
            }
        }
        return AccuracySummary(accuracies: accuracies.values)
    }

    final class AccuracyBuffer: @unchecked Sendable {
        private var storage: UnsafeMutableBufferPointer<Double>
        init(count: Int) { storage = .allocate(capacity: count); storage.initialize(repeating: 0) }
        deinit { storage.deallocate() }
        /// Each index is written by exactly one worker.
        func set(_ index: Int, _ value: Double) { storage[index] = value }
        var values: [Double] { Array(storage) }
    }
}
