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
        precondition(links.count == ids.count, "a link per value")
        // Column id → entry id + 1 (0: not an entry yet); entries are the values not the same as their link.
        var entryOf = [Int32](repeating: 0, count: values.count)
        var entries: [Int32] = []
        // The flag bits, least significant first, gathered a byte at a time (this runs for every
        // value of every string column the block encoder tries).
        var flags: [UInt8] = []
        flags.reserveCapacity(ids.count / 8 + 1)
        var flagByte: UInt8 = 0, flagCount = 0
        var explicit = ByteWriter(capacity: ids.count)
        ids.withUnsafeBufferPointer { ids in
            links.withUnsafeBufferPointer { links in
                for i in 0..<ids.count {
                    let id = ids[i], link = links[i]
                    if link >= 0 {
                        let same = ids[Int(link)] == id
                        if same { flagByte |= 1 << UInt8(flagCount) }
                        flagCount += 1
                        if flagCount == 8 {
                            flags.append(flagByte)
                            flagByte = 0
                            flagCount = 0
                        }
                        if same { continue }
                    }
                    if entryOf[Int(id)] == 0 {
                        entries.append(id)
                        entryOf[Int(id)] = Int32(entries.count)
                    }
                    explicit.varint(Int(entryOf[Int(id)]) - 1)
                }
            }
        }
        if flagCount > 0 { flags.append(flagByte) }
        var w = ByteWriter(capacity: explicit.count + ids.count / 8 + 64)
        w.varint(entries.count)
        for e in entries { w.string(values.values[Int(e)]) }
        w.lengthPrefixed(flags)
        w.raw(explicit.bytes)
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], count: Int, links: [Int32], context: String) throws(FormatError) -> StringChunk {
        guard links.count == count else { throw .damaged("\(context): \(count) values for \(links.count) rows") }
        var reader = try Reader(bytes, count: count, context: context)
        defer { reader.release() }
        for (i, link) in links.enumerated() { try reader.next(i, link: link) }
        return try reader.finish()
    }

    /// `decode` in a version-5 block, in one pass over the rows: the row links chunk's raw bytes
    /// (`RowLinkEncoding`; nil: no row has a link) and the column's row index (`RowIndexes`) give
    /// each value's link as it goes, with no list of links made first. A count by Country pays this
    /// per row.
    package static func decode(_ bytes: [UInt8], count: Int, rowLinks: [UInt8]?, rowIndex: [Int32],
                               context: String, linksContext: String) throws(FormatError) -> StringChunk {
        var reader = try Reader(bytes, count: count, context: context)
        defer { reader.release() }
        let linkBytes = rowLinks ?? []
        var at = 0
        var i = 0
        for row in rowIndex.indices {
            var link: Int32 = -1
            if rowLinks != nil {
                guard at < linkBytes.count else { throw .damaged("\(linksContext): \(row) distances for \(rowIndex.count) rows") }
                if linkBytes[at] == 0 {
                    at += 1
                } else {
                    guard let distance = inlineVarint(linkBytes, at: &at) else {
                        throw .damaged("\(linksContext): a distance is cut or too long at byte \(at)")
                    }
                    guard distance > 0, distance <= UInt64(row) else { throw .damaged("\(linksContext): row \(row) linked \(distance) rows back") }
                    link = rowIndex[row - Int(distance)]
                }
            }
            guard rowIndex[row] >= 0 else { continue }
            guard i < count else { throw .damaged("\(context): more rows call for a value than the chunk's \(count)") }
            try reader.next(i, link: link)
            i += 1
        }
        guard at == linkBytes.count else { throw .damaged("\(linksContext): \(linkBytes.count - at) bytes after the last row") }
        guard i == count else { throw .damaged("\(context): \(count) values for \(i) rows") }
        return try reader.finish()
    }

    /// Reads the values one by one, each given its link (the index of an earlier value, or -1); the
    /// flag bits and ids are read inline.
    private struct Reader {
        let bytes: [UInt8]
        let context: String
        var entries: [String] = []
        /// The values' entry ids, written in place (an array in the struct cost a uniqueness check a value).
        let ids: UnsafeMutableBufferPointer<Int32>
        var bit: Int
        let bitEnd: Int
        let flagsEnd: Int
        var at: Int

        init(_ bytes: [UInt8], count: Int, context: String) throws(FormatError) {
            var r = ByteReader(bytes, context: context)
            let entryCount = try r.count(limit: r.remaining)
            entries.reserveCapacity(entryCount)
            for _ in 0..<entryCount { entries.append(try r.string()) }
            let flags = try r.rangePrefixed()
            self.bytes = bytes
            self.context = context
            ids = UnsafeMutableBufferPointer<Int32>.allocate(capacity: count)
            bit = flags.lowerBound * 8
            bitEnd = flags.upperBound * 8
            flagsEnd = flags.upperBound
            at = r.offset
        }

        /// Frees the ids; call once, whether or not `finish` was.
        func release() { ids.deallocate() }

        @inline(__always)
        mutating func next(_ i: Int, link: Int32) throws(FormatError) {
            if link >= 0 {
                guard Int(link) < i else { throw .damaged("\(context): value \(i) linked to a later value") }
                guard bit < bitEnd else { throw .damaged("\(context): fewer link bits than linked values") }
                let same = bytes[bit >> 3] >> UInt8(bit & 7) & 1
                bit += 1
                if same == 1 {
                    ids[i] = ids[Int(link)]
                    return
                }
            }
            guard at < bytes.count else { throw .damaged("\(context): fewer ids than values") }
            guard let id = inlineVarint(bytes, at: &at) else { throw .damaged("\(context): an id is cut or too long at byte \(at)") }
            guard id < UInt64(entries.count) else {
                throw .damaged("\(context): " + (entries.isEmpty ? "a value but an empty dictionary" : "id \(id) of \(entries.count) entries"))
            }
            ids[i] = Int32(id)
        }

        /// The chunk, once every value is read: no whole byte of flags after the last bit used, only
        /// zero bits after it in its byte, and no byte after the last id.
        func finish() throws(FormatError) -> StringChunk {
            guard (bit + 7) / 8 == flagsEnd else { throw .damaged("\(context): more link bits than linked values") }
            if bit & 7 != 0, bytes[bit >> 3] >> UInt8(bit & 7) != 0 { throw .damaged("\(context): more link bits than linked values") }
            guard at == bytes.count else { throw .damaged("\(context): \(bytes.count - at) bytes after the last value") }
            return StringChunk(dictionary: entries, ids: Array(ids))
        }
    }
}
