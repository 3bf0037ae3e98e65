import Foundation

/// The one rule for how many threads fewshot computes on: `FEWSHOT_THREADS` when set (a
/// positive integer, at most the cores: more only makes the threads wait on each other; 1,000
/// made classify 300 times slower), else every core. Kernels, evaluation and indexing all read
/// `threads`; the kernel thread pool is sized by `configured` once, at first use.
public enum Parallel {
    public static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// What `FEWSHOT_THREADS` asks for, if it is a positive whole number (nil when unset or not).
    public static let requested: Int? = ProcessInfo.processInfo.environment["FEWSHOT_THREADS"].flatMap { Int($0) }.flatMap {
        $0 >= 1 ? $0 : nil
    }

    /// What the environment asks for, fixed for the process.
    public static let configured: Int = min(requested ?? cores, cores)

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
