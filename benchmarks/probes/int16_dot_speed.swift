// Inner-loop throughput of the two dot products an int16 path would choose between, in pure Swift:
// F32 fused multiply-adds (SIMD16<Float>, four accumulators) against int16 pairs held in int32 lanes and
// sign-extended by shifts (the form LLVM turns into vpmaddwd / vpdpwssd, benchmarks/vnni_probe.sh), four
// accumulators. Both read vectors that stay in L1 (1,536 values: the FFN width of accurate), so this is
// the ceiling of what int16 could gain over F32 per multiply-add, before any quantization cost.
import Foundation

@inline(never)
func dotF32(_ a: UnsafePointer<SIMD16<Float>>, _ b: UnsafePointer<SIMD16<Float>>, _ n: Int) -> Float {
    var s0 = SIMD16<Float>(), s1 = SIMD16<Float>(), s2 = SIMD16<Float>(), s3 = SIMD16<Float>()
    var i = 0
    while i < n {
        s0.addProduct(a[i], b[i])
        s1.addProduct(a[i + 1], b[i + 1])
        s2.addProduct(a[i + 2], b[i + 2])
        s3.addProduct(a[i + 3], b[i + 3])
        i += 4
    }
    return ((s0 + s1) + (s2 + s3)).sum()
}

@inline(__always)
func pairProduct(_ x: SIMD16<Int32>, _ y: SIMD16<Int32>) -> SIMD16<Int32> {
    let xe = (x &<< 16) &>> 16, xo = x &>> 16
    let ye = (y &<< 16) &>> 16, yo = y &>> 16
    return xe &* ye &+ xo &* yo
}

@inline(never)
func dotS16(_ a: UnsafePointer<SIMD16<Int32>>, _ b: UnsafePointer<SIMD16<Int32>>, _ n: Int) -> Int32 {
    var s0 = SIMD16<Int32>(), s1 = SIMD16<Int32>(), s2 = SIMD16<Int32>(), s3 = SIMD16<Int32>()
    var i = 0
    while i < n {
        s0 &+= pairProduct(a[i], b[i])
        s1 &+= pairProduct(a[i + 1], b[i + 1])
        s2 &+= pairProduct(a[i + 2], b[i + 2])
        s3 &+= pairProduct(a[i + 3], b[i + 3])
        i += 4
    }
    return ((s0 &+ s1) &+ (s2 &+ s3)).wrappedSum()
}

@main
struct Int16DotSpeed {
    static func main() {
        let values = 1_536
        let floatVectors = values / 16, pairVectors = values / 32
        let fa = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: floatVectors)
        let fb = UnsafeMutablePointer<SIMD16<Float>>.allocate(capacity: floatVectors)
        let ia = UnsafeMutablePointer<SIMD16<Int32>>.allocate(capacity: pairVectors)
        let ib = UnsafeMutablePointer<SIMD16<Int32>>.allocate(capacity: pairVectors)
        for i in 0..<floatVectors {
            fa[i] = SIMD16<Float>(repeating: Float(i % 7) * 0.01)
            fb[i] = SIMD16<Float>(repeating: 0.5)
        }
        for i in 0..<pairVectors {
            ia[i] = SIMD16<Int32>(repeating: Int32(i % 5) << 16 | 3)
            ib[i] = SIMD16<Int32>(repeating: 2 << 16 | 7)
        }
        let repeats = 200_000
        func time(_ body: () -> Void) -> Double {
            var best: [Double] = []
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                best.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return best.sorted()[2]
        }
        var sinkF: Float = 0
        var sinkI: Int32 = 0
        // One input value changes each time, so no call can be hoisted out of the loop.
        let f32 = time {
            for r in 0..<repeats {
                fa[0][0] = Float(r & 3)
                sinkF += dotF32(fa, fb, floatVectors)
            }
        }
        let s16 = time {
            for r in 0..<repeats {
                ia[0][0] = Int32(r & 3)
                sinkI &+= dotS16(ia, ib, pairVectors)
            }
        }
        let macs = Double(values * repeats)
        print(String(format: "F32 FMA dot:        %.2f G multiply-adds/s", macs / f32 / 1e9))
        print(String(format: "int16 pairs (shift): %.2f G multiply-adds/s", macs / s16 / 1e9))
        print(String(format: "int16 / F32:         %.2f×   (checksums %.1f %d)", f32 / s16, sinkF, sinkI))
    }
}
