/// A classifier's labels laid out for scoring many lines: each line's cosine to every unit
/// prototype, and its TF-IDF cosine to every lexical prototype.
///
/// The numbers are those of `Prototypes.cosines` and `LexicalTable.dot`, label by label, to the
/// bit: each label's sum runs over the same products in the same order. Only the layout differs,
/// because on 3–12-word lines those two loops were a fifth of a static model's classify time:
/// - the prototypes are stored transposed (dimension × labels, labels padded to a multiple of 8),
///   so eight labels' dot products advance together, one SIMD lane each, where one label at a
///   time waited on each add before the next;
/// - the lexical prototypes are merged into one posting list sorted by term (then label), its
///   terms in a hash table, so each of a line's few terms is looked up once, where the line was
///   merged against every label's whole vector in turn.
public struct LabelScorer: Sendable {
    public let labelCount: Int
    public let dimension: Int
    /// Labels rounded up to a multiple of `lanes`.
    private let paddedCount: Int
    /// Prototype k's component j at `j * paddedCount + k`; zero in the padding.
    private let transposed: [Float]
    /// Every lexical prototype's entries, sorted by term and then label.
    private let postingLabels: [Int]
    private let postingWeights: [Float]
    /// The postings' distinct terms; those of `distinctTerms[i]` are at
    /// `postingStarts[i] ..< postingStarts[i + 1]`.
    private let distinctTerms: [UInt64]
    private let postingStarts: [Int]
    /// An open-addressing table of `distinctTerms`: 1 + a term's index in its slot (or the
    /// next free one after it), 0 when free; a power of two at least twice the terms.
    private let slots: [Int32]
    /// Right shift that turns a multiplied term into its slot.
    private let slotShift: UInt64

    private static let lanes = 8

    /// `prototypes`: `count` unit rows of `dimension` (as `Prototypes.normalized` gives them);
    /// `lexical`: each label's unit TF-IDF prototype, or empty when the classifier has none.
    public init(prototypes: [Float], count: Int, dimension: Int, lexical: [LexicalTable.Vector]) {
        precondition(prototypes.count == count * dimension && (lexical.isEmpty || lexical.count == count))
        labelCount = count
        self.dimension = dimension
        paddedCount = (count + Self.lanes - 1) / Self.lanes * Self.lanes
        var transposed = [Float](repeating: 0, count: paddedCount * dimension)
        for k in 0..<count {
            for j in 0..<dimension { transposed[j * paddedCount + k] = prototypes[k * dimension + j] }
        }
        self.transposed = transposed
        let postings = lexical.enumerated().flatMap { label, vector in vector.map { (term: $0.term, label: label, weight: $0.weight) } }
            .sorted { $0.term != $1.term ? $0.term < $1.term : $0.label < $1.label }
        postingLabels = postings.map(\.label)
        postingWeights = postings.map(\.weight)
        var distinct: [UInt64] = []
        var starts: [Int] = []
        for (position, posting) in postings.enumerated() where distinct.last != posting.term {
            distinct.append(posting.term)
            starts.append(position)
        }
        starts.append(postings.count)
        distinctTerms = distinct
        postingStarts = starts
        var bits = 1
        while 1 << bits < 2 * distinct.count { bits += 1 }
        slotShift = UInt64(64 - bits)
        var slots = [Int32](repeating: 0, count: 1 << bits)
        for (index, term) in distinct.enumerated() {
            var slot = Self.slot(of: term, shift: slotShift)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(index + 1)
        }
        self.slots = slots
    }

    /// Fibonacci hashing: the top bits of the term times 2⁶⁴ / φ.
    private static func slot(of term: UInt64, shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (term &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The index of `term` in `distinctTerms`, or nil.
    private func distinctIndex(of term: UInt64) -> Int? {
        var slot = Self.slot(of: term, shift: slotShift)
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if distinctTerms[entry - 1] == term { return entry - 1 }
            slot = (slot + 1) & (slots.count - 1)
        }
    }

    /// The cosine of row `row` of `embeddings` (unit rows of `dimension`) to each prototype.
    public func cosines(of embeddings: [Float], row: Int) -> [Float] {
        let d = dimension
        var dots = [Float](repeating: 0, count: paddedCount)
        embeddings.withUnsafeBufferPointer { rows in
            transposed.withUnsafeBufferPointer { columns in
                dots.withUnsafeMutableBufferPointer { out in
                    let line = rows.baseAddress! + row * d
                    let raw = UnsafeRawPointer(columns.baseAddress!)
                    for block in stride(from: 0, to: paddedCount, by: Self.lanes) {
                        var sum = SIMD8<Float>()
                        for j in 0..<d {
                            let column = raw.loadUnaligned(
                                fromByteOffset: (j * paddedCount + block) * MemoryLayout<Float>.stride, as: SIMD8<Float>.self)
                            // A product, then a sum: what the scalar loop rounds, lane by lane.
                            sum = sum + SIMD8(repeating: line[j]) * column
                        }
                        for lane in 0..<Self.lanes { out[block + lane] = sum[lane] }
                    }
                }
            }
        }
        dots.removeLast(paddedCount - labelCount)
        return dots
    }

    /// Adds `weight` times the TF-IDF cosine of `vector` (sorted by term, as `LexicalTable`
    /// makes vectors) to each label's lexical prototype to `scores`.
    public func addLexical(_ vector: LexicalTable.Vector, weight: Float, to scores: inout [Float]) {
        var totals = [Float](repeating: 0, count: labelCount)
        // The line's terms in ascending order: each label's products are summed in the order
        // `LexicalTable.dot` sums them.
        for entry in vector {
            guard let index = distinctIndex(of: entry.term) else { continue }
            for position in postingStarts[index]..<postingStarts[index + 1] {
                totals[postingLabels[position]] += entry.weight * postingWeights[position]
            }
        }
        for k in 0..<labelCount { scores[k] += weight * totals[k] }
    }
}
