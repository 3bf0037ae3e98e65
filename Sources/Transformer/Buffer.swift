/// A growable, 64-byte-aligned array of scalars for parameters and activations. Kernels take
/// its raw pointer once per call (arrays in class properties indexed in loops are slow).
public final class Buffer<S: EncoderScalar>: @unchecked Sendable {
    public private(set) var pointer: UnsafeMutablePointer<S>
    public private(set) var count: Int
    private var capacity: Int

    public init(count: Int) {
        capacity = max(count, 1)
        pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<S>.stride, alignment: 64).bindMemory(
            to: S.self, capacity: capacity)
        pointer.initialize(repeating: 0, count: capacity)
        self.count = count
    }

    deinit { UnsafeMutableRawPointer(pointer).deallocate() }

    /// Makes room for `count` scalars; contents are unspecified after growing.
    public func resize(_ count: Int) {
        if count > capacity {
            UnsafeMutableRawPointer(pointer).deallocate()
            capacity = max(count, capacity * 3 / 2)
            pointer = UnsafeMutableRawPointer.allocate(byteCount: capacity * MemoryLayout<S>.stride, alignment: 64).bindMemory(
                to: S.self, capacity: capacity)
            pointer.initialize(repeating: 0, count: capacity)
        }
        self.count = count
    }

    public func zero() { pointer.update(repeating: 0, count: count) }

    public var buffer: UnsafeMutableBufferPointer<S> { UnsafeMutableBufferPointer(start: pointer, count: count) }

    public subscript(index: Int) -> S {
        get { pointer[index] }
        set { pointer[index] = newValue }
    }

    public var array: [S] { Array(buffer) }
}
