import Dispatch
import Foundation

/// Reused packing buffers: a fresh multi-megabyte allocation per call costs page faults that
/// dominate small products (one sentence at a time). Thread-safe; buffers only grow.
final class PackBuffers: @unchecked Sendable {
    static let shared = PackBuffers()
    private var free: [(capacity: Int, pointer: UnsafeMutablePointer<Float>)] = []
    private var capacities: [UnsafeMutablePointer<Float>: Int] = [:]
    private let lock = NSLock()

    func acquire(_ count: Int) -> UnsafeMutablePointer<Float> {
        lock.lock()
        defer { lock.unlock() }
        if let index = free.firstIndex(where: { $0.capacity >= count }) {
            return free.remove(at: index).pointer
        }
        if let index = free.indices.max(by: { free[$0].capacity < free[$1].capacity }) {
            let old = free.remove(at: index)
            capacities[old.pointer] = nil
            UnsafeMutableRawPointer(old.pointer).deallocate()
        }
        let pointer = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64).bindMemory(to: Float.self, capacity: count)
        capacities[pointer] = count
        return pointer
    }

    func release(_ pointer: UnsafeMutablePointer<Float>) {
        lock.lock()
        free.append((capacities[pointer]!, pointer))
        lock.unlock()
    }
}
