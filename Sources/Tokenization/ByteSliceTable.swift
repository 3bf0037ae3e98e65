/// An open-addressing hash table from byte strings to token ids, so WordPiece can look up a
/// slice of a word without building a `String`.
///
/// Keys live back to back in one arena; each slot holds a key's place there, its id and the
/// high bits of its hash. Inserting a key twice keeps the later id, as the reference's
/// vocabulary `HashMap` does for duplicate lines.
struct ByteSliceTable: Sendable {
    /// A key's place in the arena, its id, and the high bits of its hash: a lookup reads one
    /// slot and, only when the bits match, the key's bytes. (Slots that held an index into four
    /// side arrays cost a cache miss in each; WordPiece was a fifth of a static model's classify
    /// time on short lines.)
    private struct Slot {
        var keyStart: Int32
        /// -1 in a free slot.
        var keyLength: Int32
        var id: Int32
        var tag: UInt32

        static let free = Slot(keyStart: 0, keyLength: -1, id: -1, tag: 0)
    }

    private var arena: [UInt8] = []
    private var slots: [Slot]
    private var mask: Int
    /// The longest key in bytes: no match can be longer, so searches start there.
    private(set) var maxKeyLength = 0

    init(expectedCount: Int) {
        var capacity = 16
        while capacity < expectedCount * 2 { capacity <<= 1 }
        slots = [Slot](repeating: .free, count: capacity)
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

    /// Inserts a key read in place (a vocabulary's 30,000 tokens need no array each).
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, id: Int32) {
        let keyBase = key.baseAddress ?? UnsafePointer(bitPattern: 1)!
        let hash = Self.hash(keyBase, key.count)
        if let slot = findSlot(keyBase, key.count, hash: hash) {
            slots[slot].id = id
            return
        }
        var slot = hash & mask
        while slots[slot].keyLength >= 0 { slot = (slot + 1) & mask }
        slots[slot] = Slot(keyStart: Int32(arena.count), keyLength: Int32(key.count), id: id, tag: Self.tag(hash))
        arena.append(contentsOf: key)
        maxKeyLength = max(maxKeyLength, key.count)
    }

    /// The id stored for `bytes[0..<count]`, or -1.
    @inline(__always)
    func id(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        guard let slot = findSlot(bytes, count, hash: Self.hash(bytes, count)) else { return -1 }
        return slots[slot].id
    }

    /// The bits of the hash the slot index does not use (its top 32).
    @inline(__always)
    private static func tag(_ hash: Int) -> UInt32 { UInt32(truncatingIfNeeded: UInt64(bitPattern: Int64(hash)) >> 32) }

    @inline(__always)
    private func findSlot(_ bytes: UnsafePointer<UInt8>, _ count: Int, hash: Int) -> Int? {
        var slot = hash & mask
        let tag = Self.tag(hash)
        return slots.withUnsafeBufferPointer { slotBuffer in
            arena.withUnsafeBufferPointer { arenaBuffer in
                while true {
                    let entry = slotBuffer[slot]
                    if entry.keyLength < 0 { return nil }
                    if entry.tag == tag && Int(entry.keyLength) == count {
                        if count == 0 { return slot }
                        if memcmpEqual(arenaBuffer.baseAddress! + Int(entry.keyStart), bytes, count) { return slot }
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
