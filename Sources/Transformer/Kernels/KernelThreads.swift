import Dispatch
import Foundation

/// The threads that run a kernel's parallel parts, waking within a microsecond or two.
///
/// `DispatchQueue.concurrentPerform` hands iterations to pool threads that sleep between calls;
/// waking one costs tens of microseconds (measured here: two 17 µs halves took 44 µs, slower
/// than doing both on one thread). An encoder forward pass has about nine parallel regions per
/// layer, so for one sentence, or a small model, that wake-up was most of the second thread's
/// gain. These workers instead spin on the job counter for a while after each job (about
/// `spinLimit` checks, a few milliseconds) and only then sleep on a condition variable.
///
/// One caller at a time owns the workers; a caller that finds them busy (another encoder on
/// another thread, or a call from inside a job) falls back to `concurrentPerform`. Which
/// thread runs an iteration never changes what it computes.
final class KernelThreads: @unchecked Sendable {
    static let shared = KernelThreads(workers: max(0, Parallel.configured - 1))

    /// Checks of the job counter before a worker sleeps.
    static let spinLimit = 200_000

    private let workerCount: Int
    private let spin: UnsafeMutablePointer<pthread_spinlock_t>
    private let sleepMutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wake: UnsafeMutablePointer<pthread_cond_t>
    private let owner: UnsafeMutablePointer<pthread_mutex_t>
    // Guarded by `spin`.
    private var generation = 0
    private var iterations = 0
    private var next = 0
    private var finished = 0
    private var sleepers = 0
    private var body: ((Int) -> Void)?

    init(workers: Int) {
        workerCount = workers
        spin = .allocate(capacity: 1)
        pthread_spin_init(spin, 0)
        sleepMutex = .allocate(capacity: 1)
        pthread_mutex_init(sleepMutex, nil)
        wake = .allocate(capacity: 1)
        pthread_cond_init(wake, nil)
        owner = .allocate(capacity: 1)
        pthread_mutex_init(owner, nil)
        // The workers keep their pool alive: a pool lives as long as the process.
        for _ in 0..<workers {
            let thread = Thread { self.workerLoop() }
            thread.name = "fewshot-kernel"
            thread.start()
        }
    }

    /// Runs body(0..<iterations), spread over the caller and the workers; returns when all are done.
    /// `body` is escaping because the workers hold it while they run (the caller waits for them).
    func perform(iterations count: Int, _ body: @escaping (Int) -> Void) {
        if count <= 1 || workerCount == 0 {
            for index in 0..<count { body(index) }
            return
        }
        guard pthread_mutex_trylock(owner) == 0 else {
            let job = SendableJob(body: body)
            DispatchQueue.concurrentPerform(iterations: count) { job.body($0) }
            return
        }
        defer { pthread_mutex_unlock(owner) }
        pthread_spin_lock(spin)
        self.body = body
        iterations = count
        next = 0
        finished = 0
        generation &+= 1
        let sleeping = sleepers > 0
        pthread_spin_unlock(spin)
        if sleeping {
            pthread_mutex_lock(sleepMutex)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(sleepMutex)
        }
        runIterations()
        while true {
            pthread_spin_lock(spin)
            let done = finished == iterations
            if done { self.body = nil }
            pthread_spin_unlock(spin)
            if done { break }
        }
    }

    /// Claims and runs iterations of the current job until none is left.
    private func runIterations() {
        while true {
            pthread_spin_lock(spin)
            let index = next
            let job = body
            if index < iterations { next += 1 }
            let count = iterations
            pthread_spin_unlock(spin)
            guard index < count, let job else { return }
            job(index)
            pthread_spin_lock(spin)
            finished += 1
            pthread_spin_unlock(spin)
        }
    }

    private func workerLoop() {
        var seen = 0
        while true {
            var checks = 0
            while true {
                pthread_spin_lock(spin)
                let current = generation
                pthread_spin_unlock(spin)
                if current != seen {
                    seen = current
                    break
                }
                checks += 1
                if checks >= Self.spinLimit {
                    pthread_mutex_lock(sleepMutex)
                    pthread_spin_lock(spin)
                    let unchanged = generation == seen
                    if unchanged { sleepers += 1 }
                    pthread_spin_unlock(spin)
                    if unchanged {
                        pthread_cond_wait(wake, sleepMutex)
                        pthread_spin_lock(spin)
                        sleepers -= 1
                        pthread_spin_unlock(spin)
                    }
                    pthread_mutex_unlock(sleepMutex)
                    checks = 0
                }
            }
            runIterations()
        }
    }
}

/// A job body handed to `concurrentPerform` when the workers are busy.
private struct SendableJob: @unchecked Sendable {
    let body: (Int) -> Void
}
