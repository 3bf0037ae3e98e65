import Embedding
import Storage
import Transformer

/// The examples a classifier was built from, kept in its file: what the classifier is. Prototype
/// sums are sums over this memory, so dropping rows and summing again gives exactly the classifier
/// built without them, and so it can forget (remove examples, keep each label's most recent ones)
/// or re-embed everything with another encoder.
///
/// Each example keeps its embedding (what the sums are made of), its labels, and a fingerprint
/// of its text (to find it again for removal); its text too unless the user chose `--no-texts`
/// for privacy, in which case the classifier can still forget but can no longer be rebuilt
/// with another encoder. Examples are in the order they were added: later is more recent.
public struct ExampleMemory: Sendable, Equatable {
    /// Row-major, one unit-length embedding per example.
    public private(set) var embeddings: [Float]
    /// Label indices per example (one for a single-label classifier).
    public private(set) var memberships: [[Int]]
    /// `ExampleMemory.fingerprint` of each example's text.
    public private(set) var fingerprints: [UInt64]
    /// The texts, or nil when they are not kept.
    public private(set) var texts: [[UInt8]]?
    /// Each example's TF-IDF vector (`LexicalTable.vector`: sorted terms and their weights) for
    /// the hybrid score; nil when the encoder has no lexicon, and dropped with the texts (the
    /// vectors show which words a text had).
    public private(set) var lexicalTerms: [[UInt64]]?
    public private(set) var lexicalWeights: [[Float]]?
    public private(set) var dimension: Int

    public var count: Int { memberships.count }

    public init(dimension: Int, keepsTexts: Bool = true, keepsLexical: Bool = false) {
        self.dimension = dimension
        embeddings = []
        memberships = []
        fingerprints = []
        texts = keepsTexts ? [] : nil
        (lexicalTerms, lexicalWeights) = keepsTexts && keepsLexical ? ([], []) : (nil, nil)
    }

    /// The TF-IDF vector of example `row`, if kept.
    public func lexicalVector(_ row: Int) -> LexicalTable.Vector? {
        guard let lexicalTerms, let lexicalWeights else { return nil }
        return zip(lexicalTerms[row], lexicalWeights[row]).map { (term: $0, weight: $1) }
    }

    /// What identifies a text for removal when the text itself is not kept: a 64-bit checksum
    /// of its bytes. It lets whoever holds the file confirm a guessed text, not read one.
    public static func fingerprint(_ text: [UInt8]) -> UInt64 {
        text.withUnsafeBytes { Checksum.of($0) }
    }

    /// Appends examples; `lexical` (their TF-IDF vectors) is taken if this memory keeps them.
    public mutating func append(
        embeddings rows: [Float], memberships labels: [[Int]], texts added: [[UInt8]], lexical: [LexicalTable.Vector]? = nil
    ) {
        precondition(rows.count == labels.count * dimension && added.count == labels.count)
        embeddings += rows
        memberships += labels
        fingerprints += added.map(Self.fingerprint)
        texts? += added
        setLexical(appending: lexical, count: added.count)
    }

    /// Appends the vectors to the kept ones; vectors missing where they are kept stop keeping them.
    private mutating func setLexical(appending vectors: [LexicalTable.Vector]?, count: Int) {
        guard lexicalTerms != nil else { return }
        guard let vectors, vectors.count == count else { (lexicalTerms, lexicalWeights) = (nil, nil); return }
        lexicalTerms? += vectors.map { $0.map(\.term) }
        lexicalWeights? += vectors.map { $0.map(\.weight) }
    }

    /// Replaces every embedding, keeping the rows' order: they were embedded again with another
    /// (or an adapted) encoder, whose dimension may differ.
    public mutating func replaceEmbeddings(_ rows: [Float], dimension: Int, lexical: [LexicalTable.Vector]? = nil) {
        precondition(rows.count == count * dimension)
        embeddings = rows
        self.dimension = dimension
        (lexicalTerms, lexicalWeights) = texts != nil && lexical != nil ? ([], []) : (nil, nil)
        setLexical(appending: lexical, count: count)
    }

    /// The same examples with these label lists (one per row; an empty one drops its example
    /// when the classifier takes the memory).
    public func relabelled(_ lists: [[Int]]) -> ExampleMemory {
        precondition(lists.count == count)
        var relabelled = self
        relabelled.memberships = lists
        return relabelled
    }

    /// Forgets the texts and the TF-IDF vectors (which show a text's words); embeddings and
    /// fingerprints stay.
    public mutating func dropTexts() {
        texts = nil
        (lexicalTerms, lexicalWeights) = (nil, nil)
    }

    /// The memory of these rows only, in this order, with these label lists (one per row).
    public func selecting(_ rows: [Int], memberships lists: [[Int]]) -> ExampleMemory {
        precondition(lists.count == rows.count)
        var kept = ExampleMemory(dimension: dimension, keepsTexts: texts != nil, keepsLexical: lexicalTerms != nil)
        kept.embeddings.reserveCapacity(rows.count * dimension)
        for row in rows {
            kept.embeddings += embeddings[row * dimension..<(row + 1) * dimension]
            kept.fingerprints.append(fingerprints[row])
            kept.texts?.append(texts![row])
            kept.lexicalTerms?.append(lexicalTerms![row])
            kept.lexicalWeights?.append(lexicalWeights![row])
        }
        kept.memberships = lists
        return kept
    }

    /// This memory followed by `other`'s, whose label indices are renumbered by `labelMap`; the
    /// result keeps texts only if both do.
    public func appending(_ other: ExampleMemory, labelMap: [Int]) -> ExampleMemory {
        var joined = self
        joined.embeddings += other.embeddings
        joined.memberships += other.memberships.map { $0.map { labelMap[$0] } }
        joined.fingerprints += other.fingerprints
        if let theirs = other.texts { joined.texts? += theirs } else { joined.texts = nil }
        if let terms = other.lexicalTerms, let weights = other.lexicalWeights {
            joined.lexicalTerms? += terms
            joined.lexicalWeights? += weights
        } else {
            (joined.lexicalTerms, joined.lexicalWeights) = (nil, nil)
        }
        return joined
    }

    /// Per-label sums of the embeddings and counts of examples.
    public func sumsAndCounts(labelCount: Int) -> (sums: [Float], counts: [Int]) {
        var sums = [Float](repeating: 0, count: labelCount * dimension)
        var counts = [Int](repeating: 0, count: labelCount)
        Prototypes.add(embeddings, memberships: memberships, dimension: dimension, into: &sums, counts: &counts)
        return (sums, counts)
    }

    /// Per-label counts of examples (without summing embeddings: what checking a file needs).
    public func counts(labelCount: Int) -> [Int] {
        var counts = [Int](repeating: 0, count: labelCount)
        for k in memberships.joined() { counts[k] += 1 }
        return counts
    }

    // MARK: file

    static let prefix = "classifier.memory."

    /// Where each list starts in the lists' concatenation, and where the last one ends.
    static func offsets<List: Collection>(of lists: [List]) -> [Int64] {
        var offsets: [Int64] = [0]
        offsets.reserveCapacity(lists.count + 1)
        for list in lists { offsets.append(offsets.last! + Int64(list.count)) }
        return offsets
    }

    /// `flat` cut at `offsets` into `count` pieces, or nil when the offsets do not cut it
    /// exactly (each piece nonempty if `nonEmpty`): what a damaged file looks like.
    static func pieces<Element>(_ flat: [Element], at offsets: [Int], count: Int, nonEmpty: Bool = false) -> [[Element]]? {
        guard offsets.count == count + 1, offsets.first == 0, offsets.last == flat.count,
            zip(offsets, offsets.dropFirst()).allSatisfy({ nonEmpty ? $0 < $1 : $0 <= $1 })
        else { return nil }
        return (0..<count).map { Array(flat[offsets[$0]..<offsets[$0 + 1]]) }
    }

    /// Hands the tensors that store this memory in a `.fsc` to `body` (which writes them).
    func withOutputs<Result>(_ body: ([SafeTensors.Output]) throws -> Result) rethrows -> Result {
        var outputs = [
            SafeTensors.Output(name: Self.prefix + "label_offsets", integers: Self.offsets(of: memberships)),
            SafeTensors.Output(name: Self.prefix + "labels", integers: memberships.flatMap { $0.map(Int64.init) }),
            SafeTensors.Output(name: Self.prefix + "fingerprints", integers: fingerprints.map { Int64(bitPattern: $0) }),
        ]
        if let texts {
            outputs.append(SafeTensors.Output(name: Self.prefix + "text_offsets", integers: Self.offsets(of: texts)))
            outputs.append(SafeTensors.Output(name: Self.prefix + "texts", bytes: texts.flatMap { $0 }))
        }
        if let lexicalTerms {
            outputs.append(SafeTensors.Output(name: Self.prefix + "lexical_offsets", integers: Self.offsets(of: lexicalTerms)))
            outputs.append(
                SafeTensors.Output(name: Self.prefix + "lexical_terms", integers: lexicalTerms.joined().map { Int64(bitPattern: $0) }))
        }
        let weights = Array((lexicalWeights ?? []).joined())
        return try embeddings.withUnsafeBufferPointer { rows in
            try weights.withUnsafeBufferPointer { values in
                var all = [SafeTensors.Output(name: Self.prefix + "embeddings", shape: [count, dimension], values: rows)] + outputs
                if lexicalWeights != nil {
                    all.append(SafeTensors.Output(name: Self.prefix + "lexical_weights", shape: [values.count], values: values))
                }
                return try body(all)
            }
        }
    }

    /// Reads the memory of a `.fsc`, or nil if it keeps none; every offset and index is checked
    /// against `labelCount`, so a damaged file is refused rather than misread.
    static func load(from file: SafeTensors.File, dimension d: Int, labelCount: Int) throws -> ExampleMemory? {
        guard let info = file.tensors[prefix + "embeddings"] else { return nil }
        func corrupted(_ detail: String) -> StorageError { .corrupted(path: file.path, detail: "stored examples: " + detail) }
        guard info.shape.count == 2, info.shape[1] == d else { throw corrupted("embeddings of shape \(info.shape)") }
        let count = info.shape[0]
        var memory = ExampleMemory(dimension: d, keepsTexts: file.tensors[prefix + "texts"] != nil)
        memory.embeddings = [Float](repeating: 0, count: count * d)
        if count > 0 { try file.read(prefix + "embeddings", into: &memory.embeddings) }
        let labels = try file.integers(prefix + "labels")
        guard labels.allSatisfy({ (0..<labelCount).contains($0) }),
            let memberships = pieces(labels, at: try file.integers(prefix + "label_offsets"), count: count, nonEmpty: true)
        else { throw corrupted("label lists do not match the labels") }
        memory.memberships = memberships
        let fingerprints = try file.integers(prefix + "fingerprints")
        guard fingerprints.count == count else { throw corrupted("\(fingerprints.count) fingerprints for \(count) examples") }
        memory.fingerprints = fingerprints.map { UInt64(bitPattern: Int64($0)) }
        if memory.texts != nil {
            guard let bytes = file.bytes(of: prefix + "texts"),
                let texts = pieces(Array(bytes), at: try file.integers(prefix + "text_offsets"), count: count)
            else { throw corrupted("text offsets do not match the texts") }
            memory.texts = texts
        }
        if file.tensors[prefix + "lexical_terms"] != nil {
            let offsets = try file.integers(prefix + "lexical_offsets")
            let terms = try file.integers(prefix + "lexical_terms").map { UInt64(bitPattern: Int64($0)) }
            guard file.tensors[prefix + "lexical_weights"]?.count == terms.count, memory.texts != nil,
                let termLists = pieces(terms, at: offsets, count: count)
            else { throw corrupted("word vectors do not match the examples") }
            var weights = [Float](repeating: 0, count: terms.count)
            if !terms.isEmpty { try file.read(prefix + "lexical_weights", into: &weights) }
            memory.lexicalTerms = termLists
            memory.lexicalWeights = pieces(weights, at: offsets, count: count)
        }
        return memory
    }
}
