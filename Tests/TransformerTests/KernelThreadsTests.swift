import Dispatch
import Foundation
import Testing

@testable import Transformer

/// The kernel threads run every iteration exactly once, whoever calls: one caller, several at
/// once (all but one fall back to `concurrentPerform`), a call from inside a job, and after the
/// workers have gone to sleep.
@Suite struct KernelThreadsTests {
    /// Counts per iteration, incremented under a lock.
    final class Counts: @unchecked Sendable {
        private var values: [Int]
        private let lock = NSLock()
        init(_ count: Int) { values = [Int](repeating: 0, count: count) }
        func add(_ index: Int) {
            lock.lock()
            values[index] += 1
            lock.unlock()
        }
        var all: [Int] {
            lock.lock()
            defer { lock.unlock() }
            return values
        }
    }

    @Test func everyIterationRunsOnce() {
        let pool = KernelThreads(workers: 1)
        for count in [0, 1, 2, 3, 17, 1000] {
            let counts = Counts(count)
            pool.perform(iterations: count) { counts.add($0) }
            #expect(counts.all == [Int](repeating: 1, count: count), "\(count) iterations")
        }
    }

    @Test func concurrentCallersEachGetTheirIterations() {
        let pool = KernelThreads(workers: 1)
        let callers = 4
        let results = (0..<callers).map { _ in Counts(50) }
        DispatchQueue.concurrentPerform(iterations: callers) { caller in
            for _ in 0..<200 { pool.perform(iterations: 50) { results[caller].add($0) } }
        }
        for counts in results { #expect(counts.all == [Int](repeating: 200, count: 50)) }
    }

    @Test func aCallFromInsideAJobDoesNotDeadlock() {
        let pool = KernelThreads(workers: 1)
        let counts = Counts(16)
        pool.perform(iterations: 4) { outer in
            pool.perform(iterations: 4) { inner in counts.add(outer * 4 + inner) }
        }
        #expect(counts.all == [Int](repeating: 1, count: 16))
    }

    @Test func sleepingWorkersWakeForTheNextJob() {
        let pool = KernelThreads(workers: 1)
        pool.perform(iterations: 2) { _ in }
        // Long enough for the worker to pass its spin limit and sleep.
        Thread.sleep(forTimeInterval: 0.3)
        let counts = Counts(64)
        pool.perform(iterations: 64) { counts.add($0) }
        #expect(counts.all == [Int](repeating: 1, count: 64))
    }
}
