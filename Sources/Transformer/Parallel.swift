import Foundation

/// How many threads kernels use (both cores by default; `FEWSHOT_THREADS` overrides).
public enum Parallel {
    nonisolated(unsafe) public static var threads: Int = {
        if let text = ProcessInfo.processInfo.environment["FEWSHOT_THREADS"], let value = Int(text), value >= 1 { return value }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()
}
