/// AdamW (Loshchilov & Hutter): Adam moments with decoupled weight decay, over a flat buffer.
/// Moments live in buffers laid out like the parameters, so they checkpoint alongside them.
///
/// The update runs in SIMD over both cores: for the default model 90% of the parameters are
/// the embedding table, and a scalar pass with a per-element decay callback took a tenth of a
/// training step. Every element gets the operations of `Reference.adamWUpdate` in the same
/// order, so the result is the same to the bit.
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

    /// The index ranges where `mask` is true, in order (for `update`'s `decayed`).
    public static func ranges(of mask: [Bool]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var start: Int?
        for (index, decays) in mask.enumerated() {
            if decays, start == nil { start = index }
            if !decays, let first = start {
                ranges.append(first..<index)
                start = nil
            }
        }
        if let first = start { ranges.append(first..<mask.count) }
        return ranges
    }

    /// One update of every parameter from its gradient. Weight decay applies only to the
    /// parameters in `decayed` (sorted, disjoint ranges; LayerNorm and biases stay out).
    public func update(
        parameters: Buffer<Float>, gradients: Buffer<Float>, learningRate: Float, weightDecay: Float, decayed: [Range<Int>]
    ) {
        update(
            parameters: parameters, gradients: gradients, range: 0..<parameters.count, learningRate: learningRate,
            weightDecay: weightDecay, decayed: decayed)
    }

    /// One update of the parameters in `range` alone, whose moments this optimizer holds (it was
    /// made with `range.count`): a per-task update of the top layers leaves the embedding tables,
    /// half of `accurate`'s weights, out of every step. `decayed` is in the parameters' indices.
    public func update(
        parameters: Buffer<Float>, gradients: Buffer<Float>, range: Range<Int>, learningRate: Float, weightDecay: Float,
        decayed: [Range<Int>]
    ) {
        precondition(range.count == first.count && range.upperBound <= parameters.count)
        step += 1
        let constants = AdamWConstants(
            beta1: beta1, beta2: beta2, epsilon: epsilon, correction1: 1 - pow(beta1, Float(step)),
            correction2: 1 - pow(beta2, Float(step)), learningRate: learningRate, weightDecay: weightDecay)
        let offset = range.lowerBound
        let pointers = AdamWPointers(
            p: parameters.pointer + offset, g: gradients.pointer + offset, m: first.pointer, v: second.pointer)
        let count = range.count
        // Pieces where decay is constant: the decayed ranges and the gaps between them, in the
        // range's own indices.
        var pieces: [(Range<Int>, Bool)] = []
        var position = 0
        for decayedRange in decayed {
            let local = (decayedRange.lowerBound - offset)..<(decayedRange.upperBound - offset)
            let clamped = local.clamped(to: position..<count)
            if clamped.isEmpty { continue }
            if clamped.lowerBound > position { pieces.append((position..<clamped.lowerBound, false)) }
            pieces.append((clamped, true))
            position = clamped.upperBound
        }
        if position < count { pieces.append((position..<count, false)) }
        let workers = count >= 1 << 16 ? Parallel.threads : 1
        Parallel.perform(iterations: workers) { worker in
            let mine = count * worker / workers..<count * (worker + 1) / workers
            for (range, decays) in pieces {
                let part = range.clamped(to: mine)
                if !part.isEmpty { Self.update(part, decays: decays, pointers, constants) }
            }
        }
        parameters.markWritten()
    }

    static func update(_ range: Range<Int>, decays: Bool, _ x: AdamWPointers, _ k: AdamWConstants) {
        typealias V = SIMD8<Float>
        let (b1, b2, c1, c2) = (V(repeating: k.beta1), V(repeating: k.beta2), V(repeating: k.correction1), V(repeating: k.correction2))
        let (oneMinusB1, oneMinusB2) = (V(repeating: 1 - k.beta1), V(repeating: 1 - k.beta2))
        let (epsilon, rate, decay) = (V(repeating: k.epsilon), V(repeating: k.learningRate), V(repeating: k.weightDecay))
        var index = range.lowerBound
        while index + 8 <= range.upperBound {
            let gradient = load(x.g + index)
            let m = b1 * load(x.m + index) + oneMinusB1 * gradient
            let v = b2 * load(x.v + index) + oneMinusB2 * gradient * gradient
            store(m, x.m + index)
            store(v, x.v + index)
            let step = (m / c1) / ((v / c2).squareRoot() + epsilon)
            let p = load(x.p + index)
            let decayTerm = decays ? decay * p : V()
            store(p - rate * (step + decayTerm), x.p + index)
            index += 8
        }
        while index < range.upperBound {
            Reference.adamWUpdate(
                index, p: x.p, g: x.g, m: x.m, v: x.v, beta1: k.beta1, beta2: k.beta2, epsilon: k.epsilon, correction1: k.correction1,
                correction2: k.correction2, learningRate: k.learningRate, weightDecay: decays ? k.weightDecay : nil)
            index += 1
        }
    }

    private func pow(_ base: Float, _ exponent: Float) -> Float { Float(_pow(Double(base), Double(exponent))) }
}

struct AdamWConstants: Sendable {
    let beta1: Float, beta2: Float, epsilon: Float, correction1: Float, correction2: Float, learningRate: Float, weightDecay: Float
}

struct AdamWPointers: @unchecked Sendable {
    let p: UnsafeMutablePointer<Float>, g: UnsafeMutablePointer<Float>, m: UnsafeMutablePointer<Float>, v: UnsafeMutablePointer<Float>
}
