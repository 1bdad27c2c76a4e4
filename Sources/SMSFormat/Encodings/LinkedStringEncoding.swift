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
        let flags = try r.rangePrefixed()
        // The flag bits and the explicit ids are read inline: a count by Country decodes this per row.
        var bit = flags.lowerBound * 8
        let bitEnd = flags.upperBound * 8
        var at = r.offset
        let end = bytes.count
        var ids = [Int32](repeating: 0, count: count)
        for (i, link) in links.enumerated() {
            if link >= 0 {
                guard Int(link) < i else { throw r.damaged("value \(i) linked to a later value") }
                guard bit < bitEnd else { throw r.damaged("fewer link bits than linked values") }
                let same = bytes[bit >> 3] >> UInt8(bit & 7) & 1
                bit += 1
                if same == 1 {
                    ids[i] = ids[Int(link)]
                    continue
                }
            }
            guard at < end else { throw r.damaged("fewer ids than values") }
            var byte = bytes[at]
            at += 1
            var id = UInt64(byte & 0x7F)
            var shift: UInt64 = 7
            while byte >= 0x80 {
                guard at < end, shift < 35 else { throw r.damaged("an id is cut or too long") }
                byte = bytes[at]
                at += 1
                id |= UInt64(byte & 0x7F) << shift
                shift += 7
            }
            guard id < UInt64(entryCount) else { throw r.damaged(entryCount == 0 ? "a value but an empty dictionary" : "id \(id) of \(entryCount) entries") }
            ids[i] = Int32(id)
        }
        // No whole byte after the last bit used, and only zero bits after it in its byte.
        let usedBytes = (bit + 7) / 8
        guard usedBytes == flags.upperBound else { throw r.damaged("more link bits than linked values") }
        if bit & 7 != 0, bytes[bit >> 3] >> UInt8(bit & 7) != 0 { throw r.damaged("more link bits than linked values") }
        guard at == end else { throw r.damaged("\(end - at) bytes after the last value") }
        return StringChunk(dictionary: entries, ids: ids)
    }
}
