/// The standard protocol's summary: mean accuracy over episodes with its 95% interval.
public struct AccuracySummary: Sendable, Equatable {
    public let episodes: Int
    /// Mean of per-episode accuracies, in [0, 1].
    public let mean: Double
    /// Sample standard deviation of per-episode accuracies (NaN with one episode: undefined,
    /// like the interval, rather than a 0 that reads as "no spread").
    public let standardDeviation: Double
    /// Half-width of the 95% confidence interval: 1.96 · std / √n (NaN with one episode).
    public let confidence95: Double

    public init(accuracies: [Double]) {
        episodes = accuracies.count
        let n = Double(accuracies.count)
        let mean = accuracies.reduce(0, +) / max(n, 1)
        self.mean = mean
        let variance = accuracies.count > 1 ? accuracies.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1) : .nan
        standardDeviation = variance.squareRoot()
        confidence95 = accuracies.count > 1 ? 1.96 * standardDeviation / n.squareRoot() : .nan
    }
}
