/// A pointer handed to `DispatchQueue.concurrentPerform` workers, each writing its own part.
struct SendableMutablePointer<S>: @unchecked Sendable {
    let pointer: UnsafeMutablePointer<S>
    init(_ pointer: UnsafeMutablePointer<S>) { self.pointer = pointer }
}
