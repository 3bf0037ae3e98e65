import Foundation

/// How many threads kernels use (both cores by default; `FEWSHOT_THREADS` overrides).
public enum Parallel {
    nonisolated(unsafe) public static var threads: Int = {
        if let text = ProcessInfo.processInfo.environment["FEWSHOT_THREADS"], let value = Int(text), value >= 1 { return value }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()
}

extension Parallel {
    /// Runs body(0..<iterations) on the kernel threads (`KernelThreads`), which wake far faster
    /// than `DispatchQueue.concurrentPerform`'s; returns when every iteration is done. A single
    /// iteration runs on the caller, so callers need no one-worker case of their own.
    public static func perform(iterations: Int, _ body: @escaping (Int) -> Void) {
        KernelThreads.shared.perform(iterations: iterations, body)
    }
}
