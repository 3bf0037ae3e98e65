import Dispatch
import FewShot
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

    /// `measure(n)` for every episode number n in 0..<episodes, on `Parallel.threads` workers,
    /// in episode order: the result does not depend on the number of threads. `progress` hears
    /// the number of episodes done after each one (from the worker that finished it).
    public static func perEpisode<Result>(
        _ episodes: Int, progress: @Sendable (Int) -> Void = { _ in }, _ measure: @Sendable (Int) -> Result
    ) -> [Result] {
        let results = ResultBuffer<Result>(count: episodes)
        let workers = max(1, min(Parallel.threads, episodes))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            for number in stride(from: worker, to: episodes, by: workers) { progress(results.set(number, measure(number))) }
        }
        return results.values
    }

    /// Runs `episodes` episodes of `sampler` through `classifier`, on all cores; `progress`
    /// hears the episodes done.
    public static func run(
        _ classifier: some EpisodeClassifier, sampler: EpisodeSampler, episodes: Int, progress: @Sendable (Int) -> Void = { _ in }
    ) -> AccuracySummary {
        AccuracySummary(
            accuracies: perEpisode(episodes, progress: progress) { number in
                let episode = sampler.episode(number)
                return accuracy(classifier.predict(episode), of: episode)
            })
    }

    /// Open-set episodes (`EpisodeSampler(unknownClasses:)`) through the classifier's `openSet`
    /// on all cores: the AUROC over episodes, and the accuracy at the support-fitted threshold
    /// (nil when no episode could fit one: one example per class).
    public static func runOpenSet(
        _ classifier: some EpisodeOpenSetScoring, sampler: EpisodeSampler, episodes: Int
    ) -> (auroc: AccuracySummary, accuracy: AccuracySummary?) {
        let results = perEpisode(episodes) { classifier.openSet(sampler.episode($0)) }
        let fitted = results.compactMap(\.accuracy)
        return (AccuracySummary(accuracies: results.map(\.auroc)), fitted.isEmpty ? nil : AccuracySummary(accuracies: fitted))
    }

    /// Calibration over episodes (`PrototypeClassifier.calibration`) on all cores: the reports
    /// with the fixed and the fitted temperature, summed over episodes in order, and the median
    /// fitted temperature.
    public static func runCalibration(
        _ classifier: some EpisodeCalibrating, sampler: EpisodeSampler, episodes: Int, unfitted: Float
    ) -> (fixed: CalibrationReport, fitted: CalibrationReport, medianTemperature: Float) {
        let results = perEpisode(episodes) { classifier.calibration(sampler.episode($0), unfitted: unfitted) }
        var fixed = CalibrationReport(), fitted = CalibrationReport()
        for result in results {
            fixed.add(result.fixed)
            fitted.add(result.fitted)
        }
        return (fixed, fitted, results.map(\.temperature).sorted()[results.count / 2])
    }

    /// One slot per episode, each written by exactly one worker.
    final class ResultBuffer<Result>: @unchecked Sendable {
        private var storage: [Result?]
        private var stored = 0
        private let lock = NSLock()
        init(count: Int) { storage = [Result?](repeating: nil, count: count) }
        /// Stores `value` at `index` and returns how many results are stored so far.
        func set(_ index: Int, _ value: Result) -> Int {
            // Array writes from several threads need the lock (copy-on-write is not thread-safe).
            lock.lock()
            defer { lock.unlock() }
            storage[index] = value
            stored += 1
            return stored
        }
        var values: [Result] { storage.map { $0! } }
    }
}
