import Foundation

/// An exclusive lock on an existing file, for read-modify-write updates (`train --update`):
/// a second updater waits until the first has replaced the file, then reads the new one, so
/// no update is lost. The lock is `flock` on the file itself; since an atomic write replaces
/// the file by another, a lock won on a file that was replaced meanwhile is dropped and taken
/// again on the new one. Released when the lock is released or the process ends.
public final class FileLock {
    private var descriptor: Int32

    /// Blocks until the lock on `path` is held; `waiting` is called once if it must wait.
    public init(path: String, waiting: () -> Void = {}) throws {
        var announced = false
        while true {
            let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)  // a FIFO must not block here
            guard descriptor >= 0 else { throw StorageError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
            var status = stat()
            guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
                close(descriptor)
                throw StorageError.cannotRead(path: path, reason: "not a regular file")
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                if !announced {
                    waiting()
                    announced = true
                }
                guard flock(descriptor, LOCK_EX) == 0 else {
                    let reason = String(cString: strerror(errno))
                    close(descriptor)
                    throw StorageError.cannotOpen(path: path, reason: "cannot lock: \(reason)")
                }
            }
            var held = stat(), current = stat()
            if fstat(descriptor, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev {
                self.descriptor = descriptor
                return
            }
            close(descriptor)  // the file was replaced while we waited: lock the new one
        }
    }

    public func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
