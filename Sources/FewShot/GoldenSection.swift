import Foundation

/// The minimum of a one-dimensional unimodal function on an interval by golden-section search
/// (each step reuses one of the two previous evaluations): what the temperature and the
/// multi-label slope are fitted with.
enum GoldenSection {
    /// The midpoint of the interval left after `iterations` steps.
    static func minimize(_ f: (Double) -> Double, in interval: ClosedRange<Double>, iterations: Int = 60) -> Double {
        var low = interval.lowerBound, high = interval.upperBound
        let ratio = (5.0.squareRoot() - 1) / 2
        var a = high - ratio * (high - low), b = low + ratio * (high - low)
        var fa = f(a), fb = f(b)
        for _ in 0..<iterations {
            if fa < fb {
                high = b
                b = a
                fb = fa
                a = high - ratio * (high - low)
                fa = f(a)
            } else {
                low = a
                a = b
                fa = fb
                b = low + ratio * (high - low)
                fb = f(b)
            }
        }
        return (low + high) / 2
    }
}
