import Foundation

/// SIMD building blocks for the Float kernels. Swift never vectorizes a strict-order float
/// reduction and Foundation's `exp`/`erf` are scalar calls, so these are written by hand
/// (see BENCHMARKS.md and ../shared/swift-performance.md for the measurements behind them).
typealias Vector = SIMD8<Float>
let vectorWidth = 8

@inline(__always)
func load(_ pointer: UnsafePointer<Float>) -> Vector {
    UnsafeRawPointer(pointer).loadUnaligned(as: Vector.self)
}

@inline(__always)
func store(_ value: Vector, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: Vector.self)
}

/// Horizontal sum as a tree (the stdlib `.sum()` is a serial chain).
@inline(__always)
func horizontalSum(_ v: Vector) -> Float {
    let s4 = v.lowHalf + v.highHalf
    let s2 = s4.lowHalf + s4.highHalf
    return s2[0] + s2[1]
}

/// Lane-wise maximum as compare-and-select (`pointwiseMax` is scalarized with NaN branches).
@inline(__always)
func maximum(_ a: Vector, _ b: Vector) -> Vector {
    a.replacing(with: b, where: b .> a)
}

@inline(__always)
func horizontalMax(_ v: Vector) -> Float {
    let m4 = v.lowHalf.replacing(with: v.highHalf, where: v.highHalf .> v.lowHalf)
    let m2 = m4.lowHalf.replacing(with: m4.highHalf, where: m4.highHalf .> m4.lowHalf)
    return max(m2[0], m2[1])
}

/// e^x for each lane, relative error about 2e-7: x = n·ln2 + r with |r| <= ln2/2 (Cody–Waite
/// split of ln2), e^r by its degree-6 Taylor polynomial, 2^n built in the exponent bits.
/// Inputs below -87.3 give exactly 0 (what a masked softmax needs); inputs are capped at 88.
@inline(__always)
func exp(_ x: Vector) -> Vector {
    let tooSmall = x .< -87.3365447504
    var x = x.replacing(with: 88, where: x .> 88)
    x = x.replacing(with: 0, where: tooSmall)
    let shifter = Vector(repeating: 12582912)  // 1.5·2^23: adding it rounds to an integer in the low bits
    let t = x * 1.44269504088896341 + shifter  // round(x·log2 e), held in the low mantissa bits
    let n = t - shifter
    var r = x.addingProduct(n, Vector(repeating: -0.693359375))
    r = r.addingProduct(n, Vector(repeating: 2.12194440e-4))
    var q = Vector(repeating: 1.0 / 720)
    q = Vector(repeating: 1.0 / 120).addingProduct(q, r)
    q = Vector(repeating: 1.0 / 24).addingProduct(q, r)
    q = Vector(repeating: 1.0 / 6).addingProduct(q, r)
    q = Vector(repeating: 0.5).addingProduct(q, r)
    q = Vector(repeating: 1).addingProduct(q, r)
    q = Vector(repeating: 1).addingProduct(q, r)
    let exponent = unsafeBitCast(t, to: SIMD8<Int32>.self) &- unsafeBitCast(shifter, to: SIMD8<Int32>.self)
    let scale = unsafeBitCast((exponent &+ 127) &<< 23, to: Vector.self)
    return (q * scale).replacing(with: 0, where: tooSmall)
}

/// erf(x) for each lane (Abramowitz–Stegun 7.1.26, |error| <= 1.5e-7), for GELU.
@inline(__always)
func erf(_ x: Vector) -> Vector {
    let sign = Vector(repeating: 1).replacing(with: -1, where: x .< 0)
    let a = x * sign
    let t = 1 / Vector(repeating: 1).addingProduct(Vector(repeating: 0.3275911), a)
    var poly = Vector(repeating: 1.061405429)
    poly = Vector(repeating: -1.453152027).addingProduct(poly, t)
    poly = Vector(repeating: 1.421413741).addingProduct(poly, t)
    poly = Vector(repeating: -0.284496736).addingProduct(poly, t)
    poly = Vector(repeating: 0.254829592).addingProduct(poly, t)
    poly = poly * t
    let y = 1 - poly * exp(-a * a)
    return y * sign
}

/// Scalar libm functions for loop tails and references (named apart from the SIMD overloads).
@inline(__always) func _exp(_ x: Double) -> Double { Foundation.exp(x) }
@inline(__always) func _erf(_ x: Double) -> Double { Foundation.erf(x) }
@inline(__always) func _log(_ x: Double) -> Double { Foundation.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Foundation.cos(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Foundation.pow(x, y) }

/// Σ e^(scale · (values[i] − shift)) over `count` values, 8 lanes at a time with `exp` (the soft
/// maximum of the background topics takes one per topic and line: 1,157 scalar calls cost a
/// static model half its lines/s).
public func sumOfExponentials(_ values: UnsafePointer<Float>, count: Int, scale: Float, shift: Float) -> Float {
    var sums = Vector()
    var index = 0
    let (scales, shifts) = (Vector(repeating: scale), Vector(repeating: shift))
    while index + vectorWidth <= count {
        sums += exp((load(values + index) - shifts) * scales)
        index += vectorWidth
    }
    var total = horizontalSum(sums)
    while index < count {
        total += Foundation.exp(scale * (values[index] - shift))
        index += 1
    }
    return total
}
