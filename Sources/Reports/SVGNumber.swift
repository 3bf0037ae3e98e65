import Foundation

/// Coordinates and values written into SVG with a fixed, locale-independent format.
enum SVGNumber {
    /// A coordinate with two decimals ("12.50").
    static func coordinate(_ value: Double) -> String { String(format: "%.2f", value.isFinite ? value : 0) }

    /// An axis tick with as many decimals as the step needs (0.25 → two, 0.2 → one, 5 → none);
    /// below a step of 0.0001 (learning rates of 1e-6) in scientific notation with the mantissa
    /// digits the step needs ("1.5e-06"), where fixed decimals would print every tick as 0.
    static func tick(_ value: Double, step: Double) -> String {
        if step > 0 && step < 1e-4 {
            guard value != 0 else { return "0" }
            let digits = max(0, Int(Foundation.ceil(Foundation.log10(abs(value) / step) - 1e-9)))
            return String(format: "%.\(digits)e", value)
        }
        var decimals = 0
        while decimals < 6 {
            let scaled = step * Foundation.pow(10, Double(decimals))
            if abs(scaled - scaled.rounded()) < 1e-6 * max(1, scaled) { break }
            decimals += 1
        }
        return String(format: "%.\(decimals)f", value)
    }

    /// About `count` round tick values covering `range` (1, 2 or 5 times a power of ten apart).
    static func ticks(_ range: ClosedRange<Double>, count: Int = 5) -> (values: [Double], step: Double) {
        let span = range.upperBound - range.lowerBound
        guard span > 0, span.isFinite else { return ([range.lowerBound], 1) }
        let raw = span / Double(max(count, 1))
        let power = Foundation.pow(10, Foundation.floor(Foundation.log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * power }.first { $0 >= raw } ?? raw
        var values: [Double] = []
        var value = Foundation.ceil(range.lowerBound / step) * step
        while value <= range.upperBound + step * 1e-9 {
            values.append(value)
            value += step
        }
        return (values, step)
    }
}
