/// The index of an open-addressing hash table over dense ids 0, 1, 2, …: linear
/// probing over at least twice as many slots as ids. `DenseIDTable` and
/// `ByteInterner` keep their keys themselves and share this for finding them.
package struct HashSlots {
    /// Slot → id + 1 (0 is empty).
    private var slots: [Int32]
    /// Each id's hash, to compare before comparing keys and to grow without rehashing.
    private var hashes: [UInt64] = []

    package init(expectedCount: Int = 16) {
        var size = 16
        while size < expectedCount * 2 { size <<= 1 }
        slots = [Int32](repeating: 0, count: size)
        hashes.reserveCapacity(expectedCount)
    }

    /// Ids given so far.
    package var count: Int { hashes.count }

    /// Slots in the index (a power of two).
    package var slotCount: Int { slots.count }

    /// The hash id `id` was given with.
    @inline(__always)
    package func hash(ofID id: Int) -> UInt64 { hashes[id] }

    /// The id with hash `hash` for which `matches(id)` holds, or nil and the slot where a new id goes.
    @inline(__always)
    package func find(_ hash: UInt64, matches: (Int) -> Bool) -> (id: Int?, slot: Int) {
        let mask = slots.count - 1
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return (nil, slot) }
            if hashes[entry - 1] == hash && matches(entry - 1) { return (entry - 1, slot) }
            slot = (slot + 1) & mask
        }
    }

    /// Gives the next id to a key with hash `hash`, at the slot `find` returned.
    @inline(__always)
    package mutating func insert(_ hash: UInt64, at slot: Int) -> Int {
        let id = hashes.count
        hashes.append(hash)
        slots[slot] = Int32(id + 1)
        if hashes.count * 2 > slots.count { grow() }
        return id
    }

    private mutating func grow() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id + 1)
        }
    }
}
