import Foundation
import Testing

@testable import Transformer

/// The SIMD, two-thread AdamW gives the plain per-element reference's bits, with weight decay
/// on some ranges only, over several steps, on a buffer large enough to be split.
@Suite struct AdamWTests {
    @Test(arguments: [13, 70_001])
    func updateEqualsTheReferenceBitForBit(count: Int) {
        let parameters = Buffer<Float>(count: count)
        let gradients = Buffer<Float>(count: count)
        let start = randomFloats(count, seed: 51)
        for index in 0..<count { parameters[index] = start[index] }
        var p = start
        var m = [Float](repeating: 0, count: count)
        var v = [Float](repeating: 0, count: count)
        let decayed = [1..<5, 9..<min(count, 40_000), min(count, 60_000)..<count]
        let mask = (0..<count).map { index in decayed.contains { $0.contains(index) } }
        #expect(AdamW.ranges(of: mask) == decayed.filter { !$0.isEmpty })
        let optimizer = AdamW(count: count)
        for step in 1...3 {
            let g = randomFloats(count, seed: 60 + UInt64(step), scale: 0.1)
            for index in 0..<count { gradients[index] = g[index] }
            optimizer.update(parameters: parameters, gradients: gradients, learningRate: 1e-3, weightDecay: 0.01, decayed: decayed)
            let correction1 = 1 - Float(pow(Double(Float(0.9)), Double(step)))
            let correction2 = 1 - Float(pow(Double(Float(0.999)), Double(step)))
            for index in 0..<count {
                Reference.adamWUpdate(
                    index, p: &p, g: g, m: &m, v: &v, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, correction1: correction1,
                    correction2: correction2, learningRate: 1e-3, weightDecay: mask[index] ? 0.01 : nil)
            }
            #expect(parameters.array == p, "parameters after step \(step)")
            #expect(optimizer.first.array == m && optimizer.second.array == v, "moments after step \(step)")
        }
    }

    /// An optimizer over a range of the parameters (a per-task update of the top layers) moves
    /// those as one over all of them would, given zero gradients elsewhere, and leaves the rest
    /// alone; decayed ranges are in the parameters' indices, clipped to the range.
    @Test func rangeUpdateEqualsTheWholeUpdateInsideAndTouchesNothingOutside() {
        let count = 70_001
        let range = 20_000..<count
        let decayed = [1..<5, 15_000..<30_000, 40_000..<50_000]
        let start = randomFloats(count, seed: 81)
        let (whole, part) = (Buffer<Float>(count: count), Buffer<Float>(count: count))
        let gradients = Buffer<Float>(count: count)
        for index in 0..<count { (whole[index], part[index]) = (start[index], start[index]) }
        let (wholeOptimizer, partOptimizer) = (AdamW(count: count), AdamW(count: range.count))
        for step in 1...3 {
            let g = randomFloats(count, seed: 90 + UInt64(step), scale: 0.1)
            for index in 0..<count { gradients[index] = range.contains(index) ? g[index] : 0 }
            wholeOptimizer.update(parameters: whole, gradients: gradients, learningRate: 1e-3, weightDecay: 0.01, decayed: decayed)
            for index in 0..<range.lowerBound { gradients[index] = g[index] }
            partOptimizer.update(
                parameters: part, gradients: gradients, range: range, learningRate: 1e-3, weightDecay: 0.01, decayed: decayed)
        }
        #expect(Array(part.array[range]) == Array(whole.array[range]))
        #expect(Array(part.array[..<range.lowerBound]) == Array(start[..<range.lowerBound]))
        #expect(partOptimizer.first.array == Array(wholeOptimizer.first.array[range]))
    }
}
