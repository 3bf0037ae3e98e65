import Foundation

/// Writes a whole file so that a crash or kill at any moment leaves either the old file or the
/// new one, never a mix: write a temporary file beside it, flush it to disk, then rename.
///
/// Only regular files are written: an existing destination that is a directory, device, FIFO
/// or socket is refused (`checkDestination`, which commands call before any work), since a
/// rename would replace the node itself (`-o /dev/full` would turn the device into a file). A
/// symlink is followed and its target replaced, the link kept; an existing file keeps its
/// permission bits; the temporary file is removed on every failure.
public enum AtomicFile {
    /// The file a write to `path` replaces: `path` itself, or the final target of a symlink.
    /// Throws when that exists and is not a regular file, or when a link cannot be resolved.
    @discardableResult
    public static func checkDestination(_ path: String) throws -> String {
        var target = path
        for _ in 0..<40 {
            var info = stat()
            guard lstat(target, &info) == 0 else {
                if errno == ENOENT { return target }
                throw StorageError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
            }
            switch info.st_mode & S_IFMT {
            case S_IFREG: return target
            case S_IFLNK:
                let destination: String
                do {
                    destination = try FileManager.default.destinationOfSymbolicLink(atPath: target)
                } catch {
                    throw StorageError.cannotWrite(path: path, reason: "cannot read the symbolic link (\(error.localizedDescription))")
                }
                target =
                    destination.hasPrefix("/") ? destination : split(target).folder + "/" + destination
            default:
                throw StorageError.notARegularFile(path: path, kind: kind(of: info.st_mode))
            }
        }
        throw StorageError.cannotWrite(path: path, reason: "too many levels of symbolic links")
    }

    /// The folder a path is in ("." for a bare name, "/" for one at the root) and its name. Not
    /// NSString's deletingLastPathComponent: on Linux it traps on a one-character path (`-o x`).
    static func split(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.lastIndex(of: "/") else { return (".", path) }
        return (slash == path.startIndex ? "/" : String(path[..<slash]), String(path[path.index(after: slash)...]))
    }

    static func kind(of mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFDIR: return "a directory"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        default: return "not a regular file"
        }
    }

    public static func write(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
        let target = try checkDestination(path)
        var existing = stat()
        let mode: mode_t = stat(target, &existing) == 0 ? existing.st_mode & 0o7777 : 0o644
        let (folder, name) = split(target)
        let temporary = folder + "/.\(name).tmp-\(getpid())"
        try TemporaryFileCleanup.guarding(temporary) { try write(bytes, to: temporary, then: target, mode: mode, reportedAs: path) }
    }

    /// Writes `temporary`, flushes it, gives it `mode` and renames it to `target`; errors name
    /// `path` and remove the temporary file.
    static func write(_ bytes: UnsafeRawBufferPointer, to temporary: String, then target: String, mode: mode_t, reportedAs path: String)
        throws
    {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else {
            throw StorageError.cannotWrite(path: path, reason: String(cString: strerror(errno)))
        }
        /// Closes and removes the temporary file, then reports `reason`.
        func fail(_ reason: String) -> StorageError {
            close(descriptor)
            unlink(temporary)
            return StorageError.cannotWrite(path: path, reason: reason)
        }
        var offset = 0
        while offset < bytes.count {
            let written = Foundation.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw fail(String(cString: strerror(errno)))
            }
            offset += written
        }
        guard fchmod(descriptor, mode) == 0, fsync(descriptor) == 0 else { throw fail(String(cString: strerror(errno))) }
        guard close(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StorageError.cannotWrite(path: path, reason: reason)
        }
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw StorageError.cannotWrite(path: path, reason: reason)
        }
    }

    public static func write(_ bytes: [UInt8], to path: String) throws {
        try bytes.withUnsafeBytes { try write($0, to: path) }
    }
}
