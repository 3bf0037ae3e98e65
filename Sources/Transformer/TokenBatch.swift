/// A batch of token sequences, packed back to back without padding: the attention of each
/// sequence covers exactly its own tokens, which is what BERT's padding mask achieves.
public struct TokenBatch: Sendable {
    /// Token ids of all sequences (N in total).
    public let ids: [Int32]
    /// Sequence s holds ids[starts[s]..<starts[s + 1]] (B + 1 entries).
    public let starts: [Int]

    public init(sequences: [[Int32]]) {
        var ids: [Int32] = []
        var starts = [0]
        for sequence in sequences {
            ids += sequence
            starts.append(ids.count)
        }
        self.ids = ids
        self.starts = starts
    }

    /// From a padded batch and its 0/1 attention mask (B×T): keeps the positions the mask marks.
    /// BERT masks only padding at the end, so the kept tokens keep their positions.
    public init(padded ids: [[Int32]], mask: [[Int32]]) {
        self.init(sequences: zip(ids, mask).map { row, keep in zip(row, keep).filter { $0.1 != 0 }.map(\.0) })
    }

    public var sequenceCount: Int { starts.count - 1 }
    public var tokenCount: Int { ids.count }
    public func length(_ sequence: Int) -> Int { starts[sequence + 1] - starts[sequence] }
    public var maxLength: Int { (0..<sequenceCount).map(length).max() ?? 0 }
}
