extension Parallel {
    /// body(range) for contiguous ranges that cover 0..<count in order, one range per worker
    /// (at most `Parallel.threads` of them, each at least `minimumPerWorker` items, so small
    /// inputs stay on the caller), the results joined in range order: the same array whatever
    /// the thread count. For per-line work around the encoder (tokenizing, scoring), where each
    /// worker keeps its own scratch for its whole range.
    public static func mapChunks<T>(count: Int, minimumPerWorker: Int, _ body: @escaping (Range<Int>) -> [T]) -> [T] {
        let workers = max(1, min(threads, count / max(1, minimumPerWorker)))
        if workers == 1 { return body(0..<count) }
        let results = ChunkResults<T>(count: workers)
        perform(iterations: workers) { worker in
            results.set(worker, body(count * worker / workers..<count * (worker + 1) / workers))
        }
        return results.joined()
    }
}

/// One slot per worker of `Parallel.mapChunks`, each written by its own worker through a
/// pointer (no Swift array is mutated from two threads), read once all are done.
final class ChunkResults<T>: @unchecked Sendable {
    private let slots: UnsafeMutableBufferPointer<[T]>

    init(count: Int) {
        slots = .allocate(capacity: count)
        slots.initialize(repeating: [])
    }

    deinit {
        slots.deinitialize()
        slots.deallocate()
    }

    func set(_ worker: Int, _ part: [T]) { slots[worker] = part }

    func joined() -> [T] { slots.flatMap { $0 } }
}
