/// A growable, 64-byte-aligned array of scalars for parameters and activations. Kernels take
/// its raw pointer once per call (arrays in class properties indexed in loops are slow).
public final class Buffer<S: EncoderScalar>: @unchecked Sendable {
    public private(set) var pointer: UnsafeMutablePointer<S>
    public private(set) var count: Int
    private var capacity: Int

    public init(count: Int) {
        capacity = max(count, 1)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<S>.stride, alignment: 64).bindMemory(
            to: S.self, capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
        self.count = count
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// Makes room for `count` scalars; contents are unspecified after growing.
    public func resize(_ count: Int) {
        if count > capacity {
            UnsafeMutableRawPointer(pointer).deallocate()
            capacity = max(count, capacity * 3 / 2)
            pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<S>.stride, alignment: 64).bindMemory(
                to: S.self, capacity: capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        self.count = count
    }

    public func zero() { pointer.update(repeating: 0, count: count) }

    public var buffer: UnsafeMutableBufferPointer<S> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    public subscript(index: Int) -> S {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    public var array: [S] { Array(buffer) }
}

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
