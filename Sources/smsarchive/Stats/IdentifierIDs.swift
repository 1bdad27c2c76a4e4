import SMSFormat

/// Gives distinct `IdentifierKey`s dense ids (0, 1, 2, … in order of first appearance): the join
/// tables of `stats`. An open-addressing table with linear probing over at least twice as many
/// slots as keys; each slot keeps the key's id and the high half of its hash, so that a probe
/// reads the key itself only when the halves agree. Written for this one key type, in this module,
/// so that the lookups of the join's inner loop are inlined (a generic table from another module
/// was called through witness tables, a quarter of the join's time).
struct IdentifierIDs {
    /// Slot → (hash's high 32 bits) << 32 | (id + 1); 0 is empty.
    private var slots = [UInt64](repeating: 0, count: 1024)
    /// The distinct keys, by id.
    private(set) var keys: [IdentifierKey] = []

    var count: Int { keys.count }

    @inline(__always)
    private func find(_ key: IdentifierKey, _ hash: UInt64) -> (id: Int?, slot: Int) {
        let mask = slots.count - 1
        let tag = hash >> 32
        var slot = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { return (nil, slot) }
            if entry >> 32 == tag {
                let id = Int(entry & 0xFFFF_FFFF) - 1
                if keys[id] == key { return (id, slot) }
            }
            slot = (slot + 1) & mask
        }
    }

    /// The id of `key`, or nil when it has none (nothing is added).
    @inline(__always)
    func existingID(_ key: IdentifierKey) -> Int? {
        find(key, key.denseHash).id
    }

    /// The id of `key`, giving it the next id when it is new.
    @inline(__always)
    mutating func id(_ key: IdentifierKey) -> Int {
        let hash = key.denseHash
        let found = find(key, hash)
        if let id = found.id { return id }
        let id = keys.count
        keys.append(key)
        slots[found.slot] = (hash >> 32) << 32 | UInt64(id + 1)
        if keys.count * 2 > slots.count { grow() }
        return id
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, key) in keys.enumerated() {
            let hash = key.denseHash
            var slot = Int(truncatingIfNeeded: hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = (hash >> 32) << 32 | UInt64(id + 1)
        }
    }
}
