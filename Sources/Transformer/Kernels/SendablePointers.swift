/// Raw pointers handed to worker threads (each worker writes disjoint rows of C).
struct SendablePointers: @unchecked Sendable {
    let a: UnsafePointer<Float>
    let b: UnsafePointer<Float>
    let c: UnsafeMutablePointer<Float>
    let packedA: UnsafeMutablePointer<Float>
    let bSource: UnsafePointer<Float>
    let packedB: UnsafeMutablePointer<Float>
}
