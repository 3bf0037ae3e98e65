import Foundation

/// Removes an atomic write's temporary file when Ctrl-C, SIGTERM or SIGHUP ends the process in
/// the middle of the write: the destination is safe either way (the rename has not happened),
/// but without this the half-written `.NAME.tmp-PID` beside it would be left behind for good.
///
/// Only signals whose action is the default, termination, are watched: a program that handles
/// one itself (`meta-train` finishes its step and saves on Ctrl-C) keeps its handler. The
/// handler does what is safe in a signal handler: unlink the path, restore the default action,
/// raise the signal again, so the process still ends as that signal ends it. Writes are
/// serialized, since the path lives in one preallocated buffer the handler can read.
enum TemporaryFileCleanup {
    static let watched: [Int32] = [SIGINT, SIGTERM, SIGHUP]
    private static let capacity = Int(PATH_MAX) + 1
    nonisolated(unsafe) private static let path: UnsafeMutablePointer<CChar> = {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: capacity)
        buffer.initialize(repeating: 0, count: capacity)
        return buffer
    }()
    private static let lock = NSLock()

    /// Runs `body` (which creates, writes and renames `temporary`) with `temporary` removed if a
    /// watched signal ends the process meanwhile.
    static func guarding<Result>(_ temporary: String, _ body: () throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        let name = Array(temporary.utf8CString)
        guard name.count <= capacity else { return try body() }
        name.withUnsafeBufferPointer { path.update(from: $0.baseAddress!, count: $0.count) }
        let installed = watched.filter(installIfDefault)
        defer {
            for signal in installed { setAction(signal, nil) }
            path[0] = 0
        }
        return try body()
    }

    #if os(Linux)
        private static func installIfDefault(_ signal: Int32) -> Bool {
            var current = sigaction()
            guard sigaction(signal, nil, &current) == 0, current.__sigaction_handler.sa_handler == nil else { return false }
            setAction(signal, handler)
            return true
        }

        /// nil: the default action.
        private static func setAction(_ signal: Int32, _ handler: (@convention(c) (Int32) -> Void)?) {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = handler
            sigemptyset(&action.sa_mask)
            sigaction(signal, &action, nil)
        }

        private static let handler: @convention(c) (Int32) -> Void = { signal in
            if TemporaryFileCleanup.path[0] != 0 { unlink(TemporaryFileCleanup.path) }
            setAction(signal, nil)
            raise(signal)
        }
    #else
        private static func installIfDefault(_ signal: Int32) -> Bool { false }
        private static func setAction(_ signal: Int32, _ handler: (@convention(c) (Int32) -> Void)?) {}
    #endif
}
