/// The Q, K, V, context and probability buffers of one layer's attention (or their gradients),
/// handed to the workers; each worker writes only its own (sequence, head) slices.
struct AttentionPointers<S>: @unchecked Sendable {
    let query: UnsafeMutablePointer<S>
    let key: UnsafeMutablePointer<S>
    let value: UnsafeMutablePointer<S>
    let context: UnsafeMutablePointer<S>
    let probabilities: UnsafeMutablePointer<S>
}
