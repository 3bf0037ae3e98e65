import Foundation
import Testing
import Transformer

@testable import Embedding

/// `Prototypes.heldOutScale`: a held-out example's cosine to the prototype of its label's other
/// examples, rescaled, is what a new example scores against the prototype of all of them.
@Suite struct HeldOutScaleTests {
    /// `count` unit vectors in `d` dimensions around one direction: `spread` weighs the noise.
    static func label(_ count: Int, dimension d: Int, spread: Double, random: inout SeededRandom) -> [[Float]] {
        let centre = (0..<d).map { Float($0 == 0 ? 1 : 0) }
        return (0..<count).map { _ in
            let raw = (0..<d).map { centre[$0] + Float(spread * random.normal()) }
            let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return raw.map { $0 / norm }
        }
    }

    static func dot(_ a: [Float], _ b: [Float]) -> Float { zip(a, b).reduce(0) { $0 + $1.0 * $1.1 } }

    static func direction(_ vectors: [[Float]]) -> [Float] {
        let sum = vectors.dropFirst().reduce(vectors[0]) { zip($0, $1).map(+) }
        let norm = sum.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return sum.map { $0 / norm }
    }

    /// Over many labels of 5 examples, the raw held-out cosines fall short of new examples'
    /// cosines to the 5-example prototype; the rescaled ones close at least 70% of that gap
    /// (73–86% at these spreads: the rule is a ratio of expectations, not the expected ratio).
    @Test(arguments: [0.1, 0.2, 0.4])
    func rescaledHeldOutCosinesMatchNewExamples(spread: Double) {
        var random = SeededRandom(seed: 11)
        let (d, k, newcomers, labels) = (32, 5, 20, 1000)
        var (raw, rescaled, fresh) = (0.0, 0.0, 0.0)
        for _ in 0..<labels {
            let examples = Self.label(k + newcomers, dimension: d, spread: spread, random: &random)
            let support = Array(examples.prefix(k))
            let sums = (0..<d).map { j in support.reduce(Float(0)) { $0 + $1[j] } }
            let scores = Prototypes.leaveOneOutCosines(
                embeddings: support.flatMap { $0 }, memberships: Array(repeating: [0], count: k), sums: sums, counts: [k], dimension: d)
            for (row, example) in support.enumerated() {
                let heldOut = Self.direction(support.indices.filter { $0 != row }.map { support[$0] })
                raw += Double(Self.dot(example, heldOut)) / Double(k * labels)
                rescaled += Double(scores[row][0]!) / Double(k * labels)
            }
            let prototype = Self.direction(support)
            for newcomer in examples.dropFirst(k) { fresh += Double(Self.dot(newcomer, prototype)) / Double(newcomers * labels) }
        }
        #expect(raw < fresh, "spread \(spread): raw \(raw), new \(fresh)")
        #expect(abs(rescaled - fresh) < 0.3 * (fresh - raw), "spread \(spread): raw \(raw), rescaled \(rescaled), new \(fresh)")
    }

    @Test func theScaleIsOneWhereNothingIsHeldOrEveryExampleIsTheSame() {
        #expect(Prototypes.heldOutScale(sumNormSquared: 1, count: 1) == 1)
        #expect(abs(Prototypes.heldOutScale(sumNormSquared: 25, count: 5) - 1) < 1e-6)
        // Orthogonal examples (ρ = 0): √(K / (K − 1)).
        #expect(abs(Prototypes.heldOutScale(sumNormSquared: 4, count: 4) - (4.0 / 3.0).squareRoot()) < 1e-6)
        // The larger the label, the less it matters.
        #expect(Prototypes.heldOutScale(sumNormSquared: 100 + 100 * 99 * 0.3, count: 100) < 1.01)
    }

    /// The words' half is the same rule on TF-IDF vectors.
    @Test func theLexicalHeldOutCosineIsRescaledByTheSameRule() {
        let vectors: [LexicalTable.Vector] = [
            LexicalTable.normalized([(1, 1), (2, 1)]), LexicalTable.normalized([(1, 1), (3, 2)]),
            LexicalTable.normalized([(2, 1), (3, 1), (4, 1)]),
        ]
        let sum = LexicalTable.sum(vectors)
        let others = LexicalTable.normalized(LexicalTable.sum(Array(vectors.dropFirst())))
        let squared = sum.reduce(Float(0)) { $0 + $1.weight * $1.weight }
        let expected = LexicalTable.dot(vectors[0], others) * Prototypes.heldOutScale(sumNormSquared: squared, count: 3)
        #expect(abs(LexicalTable.heldOutCosine(vectors[0], from: sum, count: 3) - expected) < 1e-6)
        #expect(LexicalTable.heldOutCosine(vectors[0], from: sum, count: 3) > LexicalTable.dot(vectors[0], others))
    }
}
