/// GELU with the exact erf form BERT uses, forward and backward side by side.
///   y = x · Φ(x) = ½ x (1 + erf(x/√2))
///   dy/dx = Φ(x) + x · φ(x),   φ(x) = e^(−x²/2) / √(2π)
/// Shapes (`ShapeLegend`): x, y, dy, dx: `count` elements (N×F in the encoder).
public enum GELU {
    public static func forward(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        let vectorEnd = count / vectorWidth * vectorWidth
        var index = 0
        while index < vectorEnd {
            let v = load(x + index)
            store(0.5 * v * (1 + erf(v * 0.70710678118654752)), y + index)
            index += vectorWidth
        }
        while index < count {
            y[index] = Float(0.5 * Double(x[index]) * (1 + _erf(Double(x[index]) * 0.70710678118654752)))
            index += 1
        }
    }

    /// dx = dy · GELU'(x), overwriting dx.
    public static func backward(_ x: UnsafePointer<Float>, dy: UnsafePointer<Float>, dx: UnsafeMutablePointer<Float>, count: Int) {
        let vectorEnd = count / vectorWidth * vectorWidth
        var index = 0
        while index < vectorEnd {
            let v = load(x + index)
            let cdf = 0.5 * (1 + erf(v * 0.70710678118654752))
            let pdf = exp(-0.5 * v * v) * 0.3989422804014327
            store(load(dy + index) * cdf.addingProduct(v, pdf), dx + index)
            index += vectorWidth
        }
        while index < count {
            let v = Double(x[index])
            let cdf = 0.5 * (1 + _erf(v * 0.70710678118654752))
            let pdf = _exp(-0.5 * v * v) * 0.3989422804014327
            dx[index] = dy[index] * Float(cdf + v * pdf)
            index += 1
        }
    }
}
