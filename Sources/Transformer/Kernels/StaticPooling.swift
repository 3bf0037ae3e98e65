/// The static (0-layer) encoder's whole inference pass for a range of sequences, in SIMD: for
/// each sequence the mean of its tokens' word + position + type rows, then (optionally) scaled
/// to unit length. It adds, multiplies and normalizes element by element in the order of the
/// reference passes (`BertEncoder.embeddingForward`, `meanPoolForward`, `RowNormalization`),
/// so its output equals theirs bit for bit (a test checks this); what it saves is their N×C
/// intermediate rows, the activations a classifier never needs.
enum StaticPooling {
    struct Tables: @unchecked Sendable {
        let word: UnsafePointer<Float>
        let position: UnsafePointer<Float>
        let type: UnsafePointer<Float>
        let columns: Int
    }

    /// Writes rows `sequences` of `out` (sequenceCount × columns).
    static func forward(
        ids: UnsafePointer<Int32>, starts: UnsafePointer<Int>, sequences: Range<Int>, tables: Tables,
        normalize: Bool, out: UnsafeMutablePointer<Float>
    ) {
        let c = tables.columns
        let vectorEnd = c - c % vectorWidth
        for sequence in sequences {
            let row = out + sequence * c
            row.update(repeating: 0, count: c)
            let start = starts[sequence], end = starts[sequence + 1]
            for t in start..<end {
                let word = tables.word + Int(ids[t]) * c
                let position = tables.position + (t - start) * c
                var j = 0
                while j < vectorEnd {
                    store(load(row + j) + ((load(word + j) + load(position + j)) + load(tables.type + j)), row + j)
                    j += vectorWidth
                }
                while j < c {
                    row[j] += (word[j] + position[j]) + tables.type[j]
                    j += 1
                }
            }
            let inverse = 1 / Float(end - start)
            for j in 0..<c { row[j] *= inverse }
            if normalize { RowNormalization.forward(row, into: row, rows: 1, columns: c) }
        }
    }
}
