import Foundation

/// The one rule for how many threads fewshot computes on: `FEWSHOT_THREADS` when set (a
/// positive integer), else every core. Kernels, evaluation and indexing all read `threads`; the
/// kernel thread pool is sized by `configured` once, at first use.
public enum Parallel {
    /// What the environment asks for, fixed for the process.
    public static let configured: Int = {
        if let text = ProcessInfo.processInfo.environment["FEWSHOT_THREADS"], let value = Int(text), value >= 1 { return value }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// The threads work is split over; `configured` unless a caller (a benchmark, a test) lowers
    /// or raises it. Which thread runs a piece never changes what it computes.
    nonisolated(unsafe) public static var threads: Int = configured
}

extension Parallel {
    /// Runs body(0..<iterations) on the kernel threads (`KernelThreads`), which wake far faster
    /// than `DispatchQueue.concurrentPerform`'s; returns when every iteration is done. A single
    /// iteration runs on the caller, so callers need no one-worker case of their own.
    public static func perform(iterations: Int, _ body: @escaping (Int) -> Void) {
        KernelThreads.shared.perform(iterations: iterations, body)
    }
}
