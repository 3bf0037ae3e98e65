import Foundation

/// Ctrl-C during training: finish the current step, save, and exit cleanly.
enum Interrupt {
    nonisolated(unsafe) static var requested = false

    static func install() {
        signal(SIGINT) { _ in Interrupt.requested = true }
    }
}
