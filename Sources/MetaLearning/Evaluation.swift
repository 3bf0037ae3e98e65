import Dispatch
import Foundation
import Transformer

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

    /// Open-set episodes (`EpisodeSampler(unknownClasses:)`) through `PrototypeClassifier.openSet`
    /// on all cores: the AUROC over episodes, and the accuracy at the support-fitted threshold
    /// (nil when no episode could fit one: one example per class).
    public static func runOpenSet(
        _ classifier: PrototypeClassifier, sampler: EpisodeSampler, episodes: Int
    ) -> (auroc: AccuracySummary, accuracy: AccuracySummary?) {
        let aurocs = AccuracyBuffer(count: episodes)
        let accuracies = AccuracyBuffer(count: episodes)
        let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, episodes))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for number in stride(from: worker, to: episodes, by: workers) {
                let result = classifier.openSet(sampler.episode(number))
                aurocs.set(number, result.auroc)
                accuracies.set(number, result.accuracy ?? .nan)
            }
        }
        let fitted = accuracies.values.filter { !$0.isNaN }
        return (AccuracySummary(accuracies: aurocs.values), fitted.isEmpty ? nil : AccuracySummary(accuracies: fitted))
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
