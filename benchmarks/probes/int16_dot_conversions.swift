// Probe for issue 23: int8/int16 dot products written with the SIMD conversion initializers.
@inline(never)
public func dotU8S8(_ a: UnsafePointer<SIMD64<UInt8>>, _ b: UnsafePointer<SIMD64<Int8>>, _ n: Int) -> SIMD16<Int32> {
    var acc = SIMD16<Int32>(repeating: 0)
    for i in 0..<n {
        let x = SIMD64<Int16>(truncatingIfNeeded: a[i])
        let y = SIMD64<Int16>(truncatingIfNeeded: b[i])
        let p = x &* y
        // sum groups of four adjacent products into one int32 lane
        var lanes = SIMD16<Int32>(repeating: 0)
        for k in 0..<16 {
            lanes[k] = Int32(p[4 * k]) &+ Int32(p[4 * k + 1]) &+ Int32(p[4 * k + 2]) &+ Int32(p[4 * k + 3])
        }
        acc &+= lanes
    }
    return acc
}

@inline(never)
public func dotS16(_ a: UnsafePointer<SIMD32<Int16>>, _ b: UnsafePointer<SIMD32<Int16>>, _ n: Int) -> SIMD16<Int32> {
    var acc = SIMD16<Int32>(repeating: 0)
    for i in 0..<n {
        let x = SIMD32<Int32>(truncatingIfNeeded: a[i])
        let y = SIMD32<Int32>(truncatingIfNeeded: b[i])
        let p = x &* y
        acc &+= p.evenHalf &+ p.oddHalf
    }
    return acc
}
