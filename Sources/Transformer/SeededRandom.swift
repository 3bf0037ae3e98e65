/// A small, fast, seedable generator (SplitMix64) whose sequence is the same on every machine
/// and Swift version, unlike the standard library's `SystemRandomNumberGenerator`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for one numbered stream of a seed (episode `n` of seed `s`), so any item can
    /// be reproduced without replaying the ones before it.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SeededRandom(seed: seed ^ 0x5851_F42D_4C95_7F2D)
        state = mixer.next() ^ (stream &* 0xD134_2543_DE82_EF95)
        _ = next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<bound` (bound > 0), without modulo bias (Lemire's method).
    public mutating func below(_ bound: Int) -> Int {
        precondition(bound > 0)
        let bound64 = UInt64(bound)
        var product = next().multipliedFullWidth(by: bound64)
        if product.low < bound64 {
            let threshold = (0 &- bound64) % bound64
            while product.low < threshold { product = next().multipliedFullWidth(by: bound64) }
        }
        return Int(product.high)
    }

    /// A uniform Float in [0, 1).
    public mutating func unitFloat() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// `count` distinct elements of `items`, in random order (partial Fisher–Yates).
    public mutating func sample<T>(_ items: [T], count: Int) -> [T] {
        precondition(count <= items.count)
        var pool = items
        for index in 0..<count {
            let pick = index + below(pool.count - index)
            pool.swapAt(index, pick)
        }
        return Array(pool.prefix(count))
    }
}

extension SeededRandom {
    /// A standard normal sample (Box–Muller).
    public mutating func normal() -> Double {
        let u1 = Double(next() >> 11) * 0x1p-53 + 0x1p-54
        let u2 = Double(next() >> 11) * 0x1p-53
        return (-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2)
    }
}
