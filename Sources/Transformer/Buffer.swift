import Foundation

/// A growable, 64-byte-aligned array of scalars for parameters and activations. Kernels take
/// its raw pointer once per call (arrays in class properties indexed in loops are slow).
///
/// `version` changes with every write made through the buffer's own methods (`update`, `zero`,
/// `resize`, the subscript) and with `markWritten()`, which code that writes through `pointer`
/// calls when done (the optimizer, checkpoint loading): what is derived from the contents (the
/// encoder's packed weights) is rebuilt when the version it was made from is no longer current.
public final class Buffer<S: EncoderScalar>: @unchecked Sendable {
    public private(set) var pointer: UnsafeMutablePointer<S>
    public private(set) var count: Int
    private var capacity: Int
    public private(set) var version = 0

    public init(count: Int) {
        capacity = max(count, 1)
        pointer = Self.allocate(capacity)
        pointer.initialize(repeating: 0, count: capacity)
        self.count = count
    }

    /// Room for `capacity` scalars, 64-byte aligned; from 4 MB up, aligned to 2 MB and marked
    /// for transparent huge pages (Linux), so that touching it first takes a fault per 2 MB
    /// instead of per 4 kB: loading a model's 31 MB of weights spent 20 ms in page faults.
    static func allocate(_ capacity: Int) -> UnsafeMutablePointer<S> {
        let bytes = capacity * MemoryLayout<S>.stride
        let hugePage = 2 << 20
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: bytes >= 2 * hugePage ? hugePage : 64)
        #if os(Linux)
            if bytes >= 2 * hugePage { _ = madvise(raw, bytes / hugePage * hugePage, Int32(MADV_HUGEPAGE)) }
        #endif
        return raw.bindMemory(to: S.self, capacity: capacity)
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// Makes room for `count` scalars; contents are unspecified after growing.
    public func resize(_ count: Int) {
        if count > capacity {
            UnsafeMutableRawPointer(pointer).deallocate()
            capacity = max(count, capacity * 3 / 2)
            pointer = Self.allocate(capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        self.count = count
        markWritten()
    }

    /// Says that the contents changed through `pointer`.
    public func markWritten() { version &+= 1 }

    /// Sets every scalar to 0 with one memset: the scalars are plain floating-point bits, and the
    /// generic `update(repeating:)` went element by element through the type's value witnesses
    /// (1.6% of a per-task update of `accurate`, which zeroes 23 M gradients a step).
    public func zero() {
        memset(pointer, 0, count * MemoryLayout<S>.stride)
        markWritten()
    }

    /// Copies `count` scalars from `source` to the start of the buffer, with one memcpy (as `zero`).
    public func update(from source: UnsafePointer<S>, count: Int) {
        precondition(count <= self.count)
        memcpy(pointer, source, count * MemoryLayout<S>.stride)
        markWritten()
    }

    public var buffer: UnsafeMutableBufferPointer<S> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    public subscript(index: Int) -> S {
        get { pointer[index] }
        set {
            pointer[index] = newValue
            markWritten()
        }
    }

    public var array: [S] { Array(buffer) }
}
