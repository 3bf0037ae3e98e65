// Register-tile throughput of an int16 GEMM against the F32 one, in pure Swift (issue 23), on this
// machine (-target-cpu native). The F32 tile has the shape of the shipped AVX-512 micro-kernel. The
// int16 tile is the best int16 tile found (benchmarks/vnni_probe.sh prints how LLVM compiles it): A and
// B hold two int16 values per int32 word (a pair of k), a row's pair is broadcast, and each accumulator
// adds lo·lo + hi·hi, what one vpmaddwd / vpdpwssd computes. Panels of k = 256 stay in L1 and L2, so
// this is each kernel's ceiling before packing, quantizing activations and the epilogue.
import Foundation

let columns = 32
let depth = 256

@inline(__always)
func pairProduct(_ x: SIMD16<Int32>, _ y: SIMD16<Int32>) -> SIMD16<Int32> {
    let xe = (x &<< 16) &>> 16, xo = x &>> 16
    let ye = (y &<< 16) &>> 16, yo = y &>> 16
    return xe &* ye &+ xo &* yo
}

/// The F32 tile: 14 rows × 32 columns, as the shipped AVX-512 micro-kernel.
@inline(never)
func tileF32(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ c: UnsafeMutablePointer<Float>) {
    var c0x0 = SIMD16<Float>(), c0x1 = SIMD16<Float>()
    var c1x0 = SIMD16<Float>(), c1x1 = SIMD16<Float>()
    var c2x0 = SIMD16<Float>(), c2x1 = SIMD16<Float>()
    var c3x0 = SIMD16<Float>(), c3x1 = SIMD16<Float>()
    var c4x0 = SIMD16<Float>(), c4x1 = SIMD16<Float>()
    var c5x0 = SIMD16<Float>(), c5x1 = SIMD16<Float>()
    var c6x0 = SIMD16<Float>(), c6x1 = SIMD16<Float>()
    var c7x0 = SIMD16<Float>(), c7x1 = SIMD16<Float>()
    var c8x0 = SIMD16<Float>(), c8x1 = SIMD16<Float>()
    var c9x0 = SIMD16<Float>(), c9x1 = SIMD16<Float>()
    var c10x0 = SIMD16<Float>(), c10x1 = SIMD16<Float>()
    var c11x0 = SIMD16<Float>(), c11x1 = SIMD16<Float>()
    var c12x0 = SIMD16<Float>(), c12x1 = SIMD16<Float>()
    var c13x0 = SIMD16<Float>(), c13x1 = SIMD16<Float>()
    var pa = a
    var pb = b
    for _ in 0..<depth {
        let b0 = UnsafeRawPointer(pb).loadUnaligned(as: SIMD16<Float>.self)
        let b1 = UnsafeRawPointer(pb + 16).loadUnaligned(as: SIMD16<Float>.self)
        let x0 = SIMD16<Float>(repeating: pa[0])
        c0x0 = c0x0.addingProduct(x0, b0); c0x1 = c0x1.addingProduct(x0, b1)
        let x1 = SIMD16<Float>(repeating: pa[1])
        c1x0 = c1x0.addingProduct(x1, b0); c1x1 = c1x1.addingProduct(x1, b1)
        let x2 = SIMD16<Float>(repeating: pa[2])
        c2x0 = c2x0.addingProduct(x2, b0); c2x1 = c2x1.addingProduct(x2, b1)
        let x3 = SIMD16<Float>(repeating: pa[3])
        c3x0 = c3x0.addingProduct(x3, b0); c3x1 = c3x1.addingProduct(x3, b1)
        let x4 = SIMD16<Float>(repeating: pa[4])
        c4x0 = c4x0.addingProduct(x4, b0); c4x1 = c4x1.addingProduct(x4, b1)
        let x5 = SIMD16<Float>(repeating: pa[5])
        c5x0 = c5x0.addingProduct(x5, b0); c5x1 = c5x1.addingProduct(x5, b1)
        let x6 = SIMD16<Float>(repeating: pa[6])
        c6x0 = c6x0.addingProduct(x6, b0); c6x1 = c6x1.addingProduct(x6, b1)
        let x7 = SIMD16<Float>(repeating: pa[7])
        c7x0 = c7x0.addingProduct(x7, b0); c7x1 = c7x1.addingProduct(x7, b1)
        let x8 = SIMD16<Float>(repeating: pa[8])
        c8x0 = c8x0.addingProduct(x8, b0); c8x1 = c8x1.addingProduct(x8, b1)
        let x9 = SIMD16<Float>(repeating: pa[9])
        c9x0 = c9x0.addingProduct(x9, b0); c9x1 = c9x1.addingProduct(x9, b1)
        let x10 = SIMD16<Float>(repeating: pa[10])
        c10x0 = c10x0.addingProduct(x10, b0); c10x1 = c10x1.addingProduct(x10, b1)
        let x11 = SIMD16<Float>(repeating: pa[11])
        c11x0 = c11x0.addingProduct(x11, b0); c11x1 = c11x1.addingProduct(x11, b1)
        let x12 = SIMD16<Float>(repeating: pa[12])
        c12x0 = c12x0.addingProduct(x12, b0); c12x1 = c12x1.addingProduct(x12, b1)
        let x13 = SIMD16<Float>(repeating: pa[13])
        c13x0 = c13x0.addingProduct(x13, b0); c13x1 = c13x1.addingProduct(x13, b1)
        pa += 14
        pb += columns
    }
    UnsafeMutableRawPointer(c + 0).storeBytes(of: c0x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 16).storeBytes(of: c0x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 32).storeBytes(of: c1x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 48).storeBytes(of: c1x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 64).storeBytes(of: c2x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 80).storeBytes(of: c2x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 96).storeBytes(of: c3x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 112).storeBytes(of: c3x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 128).storeBytes(of: c4x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 144).storeBytes(of: c4x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 160).storeBytes(of: c5x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 176).storeBytes(of: c5x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 192).storeBytes(of: c6x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 208).storeBytes(of: c6x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 224).storeBytes(of: c7x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 240).storeBytes(of: c7x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 256).storeBytes(of: c8x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 272).storeBytes(of: c8x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 288).storeBytes(of: c9x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 304).storeBytes(of: c9x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 320).storeBytes(of: c10x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 336).storeBytes(of: c10x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 352).storeBytes(of: c11x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 368).storeBytes(of: c11x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 384).storeBytes(of: c12x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 400).storeBytes(of: c12x1, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 416).storeBytes(of: c13x0, as: SIMD16<Float>.self)
    UnsafeMutableRawPointer(c + 432).storeBytes(of: c13x1, as: SIMD16<Float>.self)
}

/// The int16 tile: 10 rows × 32 columns over pairs of k (12 rows spill). Each broadcast is ANDed with
/// an all-ones vector LLVM cannot see through, one per column vector: without it, or with one shared
/// mask, LLVM multiplies with vpmulld instead (both operands of each product are reused in a tile).
@inline(never)
func tileS16(
    _ a: UnsafePointer<Int32>, _ b: UnsafePointer<Int32>, _ c: UnsafeMutablePointer<Int32>, _ keep0: SIMD16<Int32>, _ keep1: SIMD16<Int32>
) {
    var c0x0 = SIMD16<Int32>(), c0x1 = SIMD16<Int32>()
    var c1x0 = SIMD16<Int32>(), c1x1 = SIMD16<Int32>()
    var c2x0 = SIMD16<Int32>(), c2x1 = SIMD16<Int32>()
    var c3x0 = SIMD16<Int32>(), c3x1 = SIMD16<Int32>()
    var c4x0 = SIMD16<Int32>(), c4x1 = SIMD16<Int32>()
    var c5x0 = SIMD16<Int32>(), c5x1 = SIMD16<Int32>()
    var c6x0 = SIMD16<Int32>(), c6x1 = SIMD16<Int32>()
    var c7x0 = SIMD16<Int32>(), c7x1 = SIMD16<Int32>()
    var c8x0 = SIMD16<Int32>(), c8x1 = SIMD16<Int32>()
    var c9x0 = SIMD16<Int32>(), c9x1 = SIMD16<Int32>()
    var pa = a
    var pb = b
    for _ in 0..<depth / 2 {
        let b0 = UnsafeRawPointer(pb).loadUnaligned(as: SIMD16<Int32>.self)
        let b1 = UnsafeRawPointer(pb + 16).loadUnaligned(as: SIMD16<Int32>.self)
        let x0 = SIMD16<Int32>(repeating: pa[0])
        c0x0 &+= pairProduct(x0 & keep0, b0); c0x1 &+= pairProduct(x0 & keep1, b1)
        let x1 = SIMD16<Int32>(repeating: pa[1])
        c1x0 &+= pairProduct(x1 & keep0, b0); c1x1 &+= pairProduct(x1 & keep1, b1)
        let x2 = SIMD16<Int32>(repeating: pa[2])
        c2x0 &+= pairProduct(x2 & keep0, b0); c2x1 &+= pairProduct(x2 & keep1, b1)
        let x3 = SIMD16<Int32>(repeating: pa[3])
        c3x0 &+= pairProduct(x3 & keep0, b0); c3x1 &+= pairProduct(x3 & keep1, b1)
        let x4 = SIMD16<Int32>(repeating: pa[4])
        c4x0 &+= pairProduct(x4 & keep0, b0); c4x1 &+= pairProduct(x4 & keep1, b1)
        let x5 = SIMD16<Int32>(repeating: pa[5])
        c5x0 &+= pairProduct(x5 & keep0, b0); c5x1 &+= pairProduct(x5 & keep1, b1)
        let x6 = SIMD16<Int32>(repeating: pa[6])
        c6x0 &+= pairProduct(x6 & keep0, b0); c6x1 &+= pairProduct(x6 & keep1, b1)
        let x7 = SIMD16<Int32>(repeating: pa[7])
        c7x0 &+= pairProduct(x7 & keep0, b0); c7x1 &+= pairProduct(x7 & keep1, b1)
        let x8 = SIMD16<Int32>(repeating: pa[8])
        c8x0 &+= pairProduct(x8 & keep0, b0); c8x1 &+= pairProduct(x8 & keep1, b1)
        let x9 = SIMD16<Int32>(repeating: pa[9])
        c9x0 &+= pairProduct(x9 & keep0, b0); c9x1 &+= pairProduct(x9 & keep1, b1)
        pa += 10
        pb += columns
    }
    UnsafeMutableRawPointer(c + 0).storeBytes(of: c0x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 16).storeBytes(of: c0x1, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 32).storeBytes(of: c1x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 48).storeBytes(of: c1x1, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 64).storeBytes(of: c2x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 80).storeBytes(of: c2x1, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 96).storeBytes(of: c3x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 112).storeBytes(of: c3x1, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 128).storeBytes(of: c4x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 144).storeBytes(of: c4x1, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 160).storeBytes(of: c5x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 176).storeBytes(of: c5x1, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 192).storeBytes(of: c6x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 208).storeBytes(of: c6x1, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 224).storeBytes(of: c7x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 240).storeBytes(of: c7x1, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 256).storeBytes(of: c8x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 272).storeBytes(of: c8x1, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 288).storeBytes(of: c9x0, as: SIMD16<Int32>.self)
    UnsafeMutableRawPointer(c + 304).storeBytes(of: c9x1, as: SIMD16<Int32>.self)
}

@main
struct Int16GemmSpeed {
    static func main() {
        let fa = UnsafeMutablePointer<Float>.allocate(capacity: 14 * depth)
        let fb = UnsafeMutablePointer<Float>.allocate(capacity: columns * depth)
        let fc = UnsafeMutablePointer<Float>.allocate(capacity: 14 * columns)
        let ia = UnsafeMutablePointer<Int32>.allocate(capacity: 10 * depth / 2)
        let ib = UnsafeMutablePointer<Int32>.allocate(capacity: columns * depth / 2)
        let ic = UnsafeMutablePointer<Int32>.allocate(capacity: 10 * columns)
        for i in 0..<14 * depth { fa[i] = Float(i % 7) * 0.01 }
        for i in 0..<columns * depth { fb[i] = Float(i % 5) * 0.02 }
        for i in 0..<10 * depth / 2 { ia[i] = Int32(i % 5) << 16 | Int32(i % 3) }
        for i in 0..<columns * depth / 2 { ib[i] = Int32(i % 7) << 16 | Int32(i % 11) }
        // All ones, from values the compiler cannot know.
        let keep0 = SIMD16<Int32>(repeating: CommandLine.arguments.count > 5 ? 1 : -1)
        let keep1 = keep0 &+ SIMD16<Int32>(repeating: CommandLine.arguments.count > 6 ? 1 : 0)
        let repeats = 100_000
        func time(_ body: () -> Void) -> Double {
            var runs: [Double] = []
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                body()
                runs.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            }
            return runs.sorted()[2]
        }
        // One input value changes each time, so no call can be hoisted out of the loop.
        var sinkF: Float = 0
        var sinkI: Int32 = 0
        let f32 = time {
            for r in 0..<repeats {
                fa[0] = Float(r & 3)
                tileF32(fa, fb, fc)
                sinkF += fc[r % (14 * columns)]
            }
        }
        let s16 = time {
            for r in 0..<repeats {
                ia[0] = Int32(r & 3)
                tileS16(ia, ib, ic, keep0, keep1)
                sinkI &+= ic[r % (10 * columns)]
            }
        }
        let f32Rate = Double(repeats * 14 * columns * depth) / f32 / 1e9
        let s16Rate = Double(repeats * 10 * columns * depth) / s16 / 1e9
        print(String(format: "F32 14x32 tile:   %6.1f G multiply-adds/s", f32Rate))
        print(String(format: "int16 10x32 tile: %6.1f G multiply-adds/s", s16Rate))
        print(String(format: "int16 / F32:      %6.2f×   (checksums %.1f %d)", s16Rate / f32Rate, sinkF, sinkI))
    }
}
