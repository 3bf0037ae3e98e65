/// Linear warm-up to the peak rate, then cosine decay to `floor` × peak at the last step.
public struct LearningRateSchedule: Sendable, Codable {
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var floor: Float = 0.1

    public init(peak: Float, warmupSteps: Int, totalSteps: Int) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
    }

    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step + 1) / Float(warmupSteps) }
        let progress = Float(step - warmupSteps) / Float(max(1, totalSteps - warmupSteps))
        let cosine = 0.5 * (1 + Float(_cos(Double.pi * Double(min(1, progress)))))
        return peak * (floor + (1 - floor) * cosine)
    }
}
