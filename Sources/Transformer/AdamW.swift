/// AdamW (Loshchilov & Hutter): Adam moments with decoupled weight decay, over a flat buffer.
/// Moments live in buffers laid out like the parameters, so they checkpoint alongside them.
public final class AdamW: @unchecked Sendable {
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8
    public let first: Buffer<Float>
    public let second: Buffer<Float>
    /// Updates taken so far (for bias correction).
    public var step = 0

    public init(count: Int) {
        first = Buffer<Float>(count: count)
        second = Buffer<Float>(count: count)
    }

    /// One update of every parameter from its gradient. `decay(i) == false` exempts parameter i
    /// from weight decay (LayerNorm, biases).
    public func update(
        parameters: Buffer<Float>, gradients: Buffer<Float>, learningRate: Float, weightDecay: Float, decay: (Int) -> Bool
    ) {
        step += 1
        let correction1 = 1 - pow(beta1, Float(step))
        let correction2 = 1 - pow(beta2, Float(step))
        let p = parameters.pointer, g = gradients.pointer, m = first.pointer, v = second.pointer
        for index in 0..<parameters.count {
            let gradient = g[index]
            m[index] = beta1 * m[index] + (1 - beta1) * gradient
            v[index] = beta2 * v[index] + (1 - beta2) * gradient * gradient
            let update = (m[index] / correction1) / ((v[index] / correction2).squareRoot() + epsilon)
            let decayTerm = decay(index) ? weightDecay * p[index] : 0
            p[index] -= learningRate * (update + decayTerm)
        }
    }

    private func pow(_ base: Float, _ exponent: Float) -> Float { Float(_pow(Double(base), Double(exponent))) }
}
