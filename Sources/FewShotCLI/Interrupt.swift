import Foundation

/// Ctrl-C during training: finish the current step, save, and exit cleanly.
enum Interrupt {
    nonisolated(unsafe) static var requested = false

    /// Catches SIGINT, and unblocks it: a process inherits its parent's signal mask, and a
    /// parent that blocks SIGINT (some runners and test harnesses do) would otherwise leave
    /// Ctrl-C pending forever.
    static func install() {
        signal(SIGINT) { _ in Interrupt.requested = true }
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
    }
}
