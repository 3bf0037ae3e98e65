import Transformer

/// Finite-difference gradient checks in Double, shared by every test of a backward pass.
public enum CentralDifference {
    /// (loss(x + h·eᵢ) − loss(x − h·eᵢ)) / 2h at `values[index]`; `values` is restored.
    public static func derivative(_ values: inout [Double], _ index: Int, h: Double = 1e-6, _ loss: ([Double]) -> Double) -> Double {
        let saved = values[index]
        values[index] = saved + h
        let plus = loss(values)
        values[index] = saved - h
        let minus = loss(values)
        values[index] = saved
        return (plus - minus) / (2 * h)
    }

    /// The entries where `analytic` and the central difference differ by more than `tolerance`
    /// (relative, for derivatives above 1), as messages; empty when the gradient is right.
    public static func mismatches(
        _ values: inout [Double], analytic: [Double], tolerance: Double = 1e-6, _ loss: ([Double]) -> Double
    ) -> [String] {
        var found: [String] = []
        for index in values.indices {
            let numeric = derivative(&values, index, loss)
            if !(abs(numeric - analytic[index]) <= tolerance * max(1, abs(numeric))) {
                found.append("index \(index): numeric \(numeric) analytic \(analytic[index])")
            }
        }
        return found
    }

    /// Standard normal values of a seed, for test inputs.
    public static func random(_ count: Int, seed: UInt64) -> [Double] {
        var generator = SeededRandom(seed: seed)
        return (0..<count).map { _ in generator.normal() }
    }
}
