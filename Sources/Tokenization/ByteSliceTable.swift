/// An open-addressing hash table from byte strings to token ids, so WordPiece can look up a
/// slice of a word without building a `String`.
///
/// Keys live back to back in one arena; slots hold entry indices. Inserting a key twice keeps
/// the later id, as the reference's vocabulary `HashMap` does for duplicate lines.
struct ByteSliceTable: Sendable {
    private var arena: [UInt8] = []
    private var keyStart: [Int32] = []
    private var keyLength: [Int32] = []
    private var ids: [Int32] = []
    private var slots: [Int32]
    private var mask: Int
    /// The longest key in bytes: no match can be longer, so searches start there.
    private(set) var maxKeyLength = 0

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = [Int32](repeating: -1, count: capacity)
        mask = capacity - 1
    }

    /// FNV-1a over the bytes, then a final avalanche so low bits are usable as slot index.
    @inline(__always)
    static func hash(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for index in 0..<count {
            h = (h ^ UInt64(bytes[index])) &* 0x100_0000_01b3
        }
        h ^= h >> 29
        h = h &* 0xbf58_476d_1ce4_e5b9
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }

    mutating func insert(_ key: [UInt8], id: Int32) {
        key.withUnsafeBufferPointer { keyBuffer in
            let keyBase = keyBuffer.baseAddress ?? UnsafePointer(bitPattern: 1)!
            if let entry = findEntry(keyBase, key.count) {
                ids[entry] = id
                return
            }
            var slot = Self.hash(keyBase, key.count) & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(ids.count)
            keyStart.append(Int32(arena.count))
            keyLength.append(Int32(key.count))
            ids.append(id)
            arena.append(contentsOf: key)
            maxKeyLength = max(maxKeyLength, key.count)
        }
    }

    /// The id stored for `bytes[0..<count]`, or -1.
    @inline(__always)
    func id(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        guard let entry = findEntry(bytes, count) else { return -1 }
        return ids[entry]
    }

    @inline(__always)
    private func findEntry(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int? {
        var slot = Self.hash(bytes, count) & mask
        return slots.withUnsafeBufferPointer { slotBuffer in
            arena.withUnsafeBufferPointer { arenaBuffer in
                while true {
                    let entry = Int(slotBuffer[slot])
                    if entry < 0 { return nil }
                    if Int(keyLength[entry]) == count {
                        if count == 0 { return entry }
                        let start = arenaBuffer.baseAddress! + Int(keyStart[entry])
                        if memcmpEqual(start, bytes, count) { return entry }
                    }
                    slot = (slot + 1) & mask
                }
            }
        }
    }
}

@inline(__always)
private func memcmpEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
    for index in 0..<count where a[index] != b[index] { return false }
    return true
}
