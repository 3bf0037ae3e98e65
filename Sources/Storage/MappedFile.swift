import Foundation

/// A read-only memory map of a whole file: large indexes and models are paged in on demand
/// instead of being copied.
public final class MappedFile: @unchecked Sendable {
    public let path: String
    public let bytes: UnsafeRawBufferPointer
    private let mapping: UnsafeMutableRawPointer?
    private let length: Int

    public init(path: String) throws {
        self.path = path
        // Non-blocking, so that opening a FIFO returns at once and is refused below as not a
        // regular file, instead of waiting for a writer that never comes.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { throw StorageError.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw StorageError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        guard status.st_mode & S_IFMT == S_IFREG else { throw StorageError.cannotRead(path: path, reason: "not a regular file") }
        length = Int(status.st_size)
        if length == 0 {
            mapping = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let address = mmap(nil, length, PROT_READ, MAP_PRIVATE, descriptor, 0)
        guard let address, address != MAP_FAILED else {
            throw StorageError.cannotRead(path: path, reason: String(cString: strerror(errno)))
        }
        mapping = address
        bytes = UnsafeRawBufferPointer(start: address, count: length)
    }

    deinit {
        if let mapping { munmap(mapping, length) }
    }
}
