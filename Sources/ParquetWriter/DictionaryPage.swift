/// The distinct strings of a column chunk, numbered in order of first appearance:
/// the dictionary page holds them PLAIN-encoded, data pages hold their numbers
/// (RLE_DICTIONARY; Encodings.md, "Dictionary Encoding").
struct ByteArrayDictionary {
    private(set) var entries: [String] = []
    private var ids: [String: UInt32] = [:]
    /// The size of the dictionary page body: each entry with its 4-byte length.
    private(set) var plainSize = 0

    var count: Int { entries.count }

    /// The number of `value`, added if new.
    mutating func id(for value: String) -> UInt32 {
        if let id = ids[value] { return id }
        let id = UInt32(entries.count)
        ids[value] = id
        entries.append(value)
        plainSize += 4 + value.utf8.count
        return id
    }

    /// The dictionary page body: every entry, PLAIN.
    func plainEncoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(plainSize)
        for entry in entries { PlainEncoding.append(byteArray: entry.utf8, to: &out) }
        return out
    }

    /// The smallest and largest entry in unsigned byte-wise order (the order of
    /// UTF-8 strings' statistics), or nil when empty.
    func bounds() -> (min: String, max: String)? {
        guard var low = entries.first else { return nil }
        var high = low
        for entry in entries.dropFirst() {
            if entry.utf8.lexicographicallyPrecedes(low.utf8) { low = entry }
            if high.utf8.lexicographicallyPrecedes(entry.utf8) { high = entry }
        }
        return (low, high)
    }

    mutating func removeAll() {
        entries.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        plainSize = 0
    }
}
