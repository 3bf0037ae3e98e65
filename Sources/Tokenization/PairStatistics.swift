/// Adjacent-pair counts for BPE-style training, with a max-heap for the next merge and, for
/// each pair, the words it occurs in.
///
/// The heap is lazy: every count change pushes a fresh entry, and stale entries (whose count
/// no longer matches) are discarded when popped.
struct PairStatistics {
    struct Pair: Hashable {
        let left: Int32
        let right: Int32
    }

    private var counts: [Pair: Int] = [:]
    private var occurrences: [Pair: [Int32]] = [:]
    private var heap: [(count: Int, pair: Pair)] = []

    mutating func add(_ sequence: [Int32], count: Int, word: Int32) {
        guard sequence.count > 1 else { return }
        for index in 0..<sequence.count - 1 {
            let pair = Pair(left: sequence[index], right: sequence[index + 1])
            let updated = counts[pair, default: 0] + count
            counts[pair] = updated
            occurrences[pair, default: []].append(word)
            push(updated, pair)
        }
    }

    mutating func remove(_ sequence: [Int32], count: Int) {
        guard sequence.count > 1 else { return }
        for index in 0..<sequence.count - 1 {
            let pair = Pair(left: sequence[index], right: sequence[index + 1])
            let updated = counts[pair, default: 0] - count
            counts[pair] = updated
            if updated > 0 { push(updated, pair) }
        }
    }

    func words(containing pair: Pair) -> [Int32] { occurrences[pair] ?? [] }

    /// The most frequent pair (ties: see `ranks`), removed from the counts.
    mutating func popBest() -> (Pair, Int)? {
        while let top = popHeap() {
            guard counts[top.pair] == top.count, top.count > 0 else { continue }
            counts[top.pair] = 0
            return (top.pair, top.count)
        }
        return nil
    }

    // MARK: heap

    private mutating func push(_ count: Int, _ pair: Pair) {
        heap.append((count, pair))
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard ranks(heap[child], above: heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    private mutating func popHeap() -> (count: Int, pair: Pair)? {
        guard !heap.isEmpty else { return nil }
        let top = heap[0]
        heap.swapAt(0, heap.count - 1)
        heap.removeLast()
        siftDown(0)
        return top
    }

    private mutating func siftDown(_ start: Int) {
        var parent = start
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var best = parent
            if left < heap.count && ranks(heap[left], above: heap[best]) { best = left }
            if right < heap.count && ranks(heap[right], above: heap[best]) { best = right }
            if best == parent { return }
            heap.swapAt(parent, best)
            parent = best
        }
    }

    /// Higher count first; equal counts by smaller (left, right) symbol ids. Ids are assigned in
    /// a fixed order (alphabet in byte order, then merges in order), so ties never depend on
    /// hashing.
    private func ranks(_ a: (count: Int, pair: Pair), above b: (count: Int, pair: Pair)) -> Bool {
        if a.count != b.count { return a.count > b.count }
        if a.pair.left != b.pair.left { return a.pair.left < b.pair.left }
        return a.pair.right < b.pair.right
    }
}
