import Foundation
import Testing
import Transformer

@testable import FewShot

/// classify's probabilities are printed by `ProbabilityText` instead of `String(format:)`: the
/// same text for every value, ties and edges included.
@Suite struct ProbabilityTextTests {
    @Test func fourDecimalsEqualsTheFormatterOnRandomProbabilities() {
        var random = SeededRandom(seed: 7)
        var mismatches: [Float] = []
        for draw in 0..<400_000 {
            // Uniform values, and uniform bit patterns below 1.0, which reach every binade down
            // to the smallest floats.
            let probability =
                draw.isMultiple(of: 2)
                ? random.unitFloat() : Float(bitPattern: UInt32(random.next() % UInt64(Float(1).bitPattern)))
            if ProbabilityText.fourDecimals(probability) != String(format: "%.4f", probability) { mismatches.append(probability) }
        }
        #expect(mismatches.isEmpty, "first mismatches: \(mismatches.prefix(5))")
    }

    @Test func fourDecimalsRoundsTiesToEvenAsTheFormatterDoes() {
        // k / 2^m with m ≤ 5: p × 10,000 lands on exactly .5 for odd k at m = 5 (312.5, 937.5, ...).
        var checked = 0
        for m in 1...12 {
            for k in 0...(1 << m) {
                let probability = Float(k) / Float(1 << m)
                #expect(ProbabilityText.fourDecimals(probability) == String(format: "%.4f", probability), "\(k)/2^\(m)")
                checked += 1
            }
        }
        #expect(ProbabilityText.fourDecimals(0.03125) == "0.0312")
        #expect(ProbabilityText.fourDecimals(0.09375) == "0.0938")
        #expect(checked > 8000)
    }

    @Test func fourDecimalsOfEdgesAndNonProbabilitiesEqualsTheFormatter() {
        let edges: [Float] = [
            0, 1, 0.99995, 0.99994, Float(1).nextDown, Float.leastNonzeroMagnitude, 0.00005, 0.00015, -0.0, -0.25, 1.5, .nan,
            .infinity, -.infinity,
        ]
        for value in edges { #expect(ProbabilityText.fourDecimals(value) == String(format: "%.4f", value), "\(value)") }
        #expect(ProbabilityText.fourDecimals(Float(1).nextDown) == "1.0000")
        #expect(ProbabilityText.fourDecimals(0.99995) == "0.9999")  // the nearest Float is below 0.99995
    }
}
