import SMSSupport

/// Strings of a column whose rows mostly repeat the value of their linked row
/// (see `RowLinks`): a delivery report or usage record has its send's PhoneNumber
/// and Country. Each value whose row has a link to a row with a value in this
/// column costs one bit (1: the same as that value); the others are stored
/// as in `DictionaryStringEncoding`.
///
/// Layout: varint entry count, the entries (varint length and bytes, in order of
/// first use); a varint byte length and the flag bits, one per linked value in
/// value order, least significant bit first, zero padded; then one varint entry id
/// per value that is not the same as its linked value, in value order.
package enum LinkedStringEncoding {
    /// `links[i]`: the index of the value linked to value `i` (smaller than `i`), or -1.
    package static func encode(_ values: [String], links: [Int32]) -> [UInt8] {
        encode(DistinctIDs(values), links: links)
    }

    /// The values given as their first-occurrence ids: equal values have equal ids, so
    /// nothing is hashed or compared as text.
    package static func encode(_ values: DistinctIDs<String>, links: [Int32]) -> [UInt8] {
        let ids = values.ids
        // Column id → entry id + 1 (0: not an entry yet); entries are the values not the same as their link.
        var entryOf = [Int32](repeating: 0, count: values.count)
        var entries: [Int32] = []
        var bits = BitWriter()
        var explicit = ByteWriter(capacity: ids.count)
        for (i, id) in ids.enumerated() {
            let link = links[i]
            if link >= 0 {
                let same = ids[Int(link)] == id
                bits.write(same ? 1 : 0, count: 1)
                if same { continue }
            }
            if entryOf[Int(id)] == 0 {
                entries.append(id)
                entryOf[Int(id)] = Int32(entries.count)
            }
            explicit.varint(Int(entryOf[Int(id)]) - 1)
        }
        var w = ByteWriter(capacity: explicit.count + ids.count / 8 + 64)
        w.varint(entries.count)
        for e in entries { w.string(values.values[Int(e)]) }
        w.lengthPrefixed(bits.finish())
        w.raw(explicit.bytes)
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], count: Int, links: [Int32], context: String) throws(FormatError) -> StringChunk {
        var r = ByteReader(bytes, context: context)
        guard links.count == count else { throw r.damaged("\(count) values for \(links.count) rows") }
        let entryCount = try r.count(limit: r.remaining)
        var entries: [String] = []
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount { entries.append(try r.string()) }
        var bits = BitReader(Array(try r.lengthPrefixed()), from: 0)
        var ids: [Int32] = []
        ids.reserveCapacity(count)
        for (i, link) in links.enumerated() {
            if link >= 0 {
                guard Int(link) < i else { throw r.damaged("value \(i) linked to a later value") }
                guard let same = bits.read(1) else { throw r.damaged("fewer link bits than linked values") }
                if same == 1 { ids.append(ids[Int(link)]); continue }
            }
            guard entryCount > 0 else { throw r.damaged("a value but an empty dictionary") }
            ids.append(Int32(try r.count(limit: entryCount - 1)))
        }
        guard bits.remainingBytes == 0, bits.remainingBitsAreZero else { throw r.damaged("more link bits than linked values") }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last value") }
        return StringChunk(dictionary: entries, ids: ids)
    }
}
