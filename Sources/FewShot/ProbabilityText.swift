import Foundation

/// A probability as classify prints it: `String(format: "%.4f", p)`, digit for digit, without
/// Foundation's formatter, which took a tenth of a static model's classify time on short lines,
/// all of it on the one thread that writes the output.
public enum ProbabilityText {
    /// Four decimals, rounded as "%.4f" rounds: the exact binary value to the nearest, ties to
    /// even. For p in [0, 1], Double(p) × 10,000 is exact (a Float's 24-bit significand times
    /// 625 needs 34 bits of a Double's 53, and the 2⁴ is an exponent), so rounding it to an
    /// integer rounds the exact value. Anything else (negative zero, NaN, out of range) goes to
    /// the formatter.
    public static func fourDecimals(_ probability: Float) -> String {
        guard probability.sign == .plus, probability <= 1 else { return String(format: "%.4f", probability) }
        let units = Int((Double(probability) * 10_000).rounded(.toNearestOrEven))
        let fraction = units % 10_000
        let zero = UInt8(ascii: "0")
        return String(unsafeUninitializedCapacity: 6) { bytes in
            bytes[0] = zero + UInt8(units / 10_000)
            bytes[1] = UInt8(ascii: ".")
            bytes[2] = zero + UInt8(fraction / 1000)
            bytes[3] = zero + UInt8(fraction / 100 % 10)
            bytes[4] = zero + UInt8(fraction / 10 % 10)
            bytes[5] = zero + UInt8(fraction % 10)
            return 6
        }
    }
}
