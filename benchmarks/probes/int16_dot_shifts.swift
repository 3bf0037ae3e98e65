// int16 pairs inside int32 lanes, widened by shifts (no SIMD conversion initializers).
@inline(never)
public func dotS16Shifts(_ a: UnsafePointer<SIMD16<Int32>>, _ b: UnsafePointer<SIMD16<Int32>>, _ n: Int) -> SIMD16<Int32> {
    var acc = SIMD16<Int32>(repeating: 0)
    for i in 0..<n {
        let x = a[i], y = b[i]
        let xe = (x &<< 16) &>> 16, xo = x &>> 16
        let ye = (y &<< 16) &>> 16, yo = y &>> 16
        acc &+= xe &* ye &+ xo &* yo
    }
    return acc
}
