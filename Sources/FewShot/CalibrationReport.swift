/// How well probabilities match outcomes: predictions are grouped by their confidence (the top
/// probability) into equal-width bins; a calibrated classifier is right in each bin as often as
/// its mean confidence says. The expected calibration error (ECE) is the count-weighted mean gap.
public struct CalibrationReport: Sendable, Equatable {
    public struct Bin: Sendable, Equatable {
        public let lower: Double
        public let upper: Double
        public var count = 0
        public var confidenceSum = 0.0
        public var correct = 0
        public var meanConfidence: Double { count == 0 ? 0 : confidenceSum / Double(count) }
        public var accuracy: Double { count == 0 ? 0 : Double(correct) / Double(count) }
    }

    public private(set) var bins: [Bin]
    public private(set) var count = 0

    public init(binCount: Int = 10) {
        bins = (0..<binCount).map { Bin(lower: Double($0) / Double(binCount), upper: Double($0 + 1) / Double(binCount)) }
    }

    public mutating func add(confidence: Double, correct: Bool) {
        let position = min(bins.count - 1, max(0, Int(confidence * Double(bins.count))))
        bins[position].count += 1
        bins[position].confidenceSum += confidence
        bins[position].correct += correct ? 1 : 0
        count += 1
    }

    public mutating func add(_ other: CalibrationReport) {
        precondition(other.bins.count == bins.count, "reports with different bins")
        for index in bins.indices {
            bins[index].count += other.bins[index].count
            bins[index].confidenceSum += other.bins[index].confidenceSum
            bins[index].correct += other.bins[index].correct
        }
        count += other.count
    }

    /// Σ over bins of (bin count / total) · |accuracy − mean confidence|.
    public var expectedCalibrationError: Double {
        guard count > 0 else { return 0 }
        return bins.reduce(0) { $0 + Double($1.count) / Double(count) * abs($1.accuracy - $1.meanConfidence) }
    }
}
