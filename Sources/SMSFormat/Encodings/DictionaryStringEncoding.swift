import SMSSupport

/// Strings as a dictionary of the distinct values (in order of first use, each
/// a varint length and bytes, preceded by their count), then one varint id per value.
package enum DictionaryStringEncoding {
    package static func encode(_ values: [String]) -> [UInt8] {
        encode(DistinctIDs(values))
    }

    /// The values given as their first-occurrence ids: those are the dictionary ids.
    package static func encode(_ values: DistinctIDs<String>) -> [UInt8] {
        // Sized up front: a chunk may hold a value of hundreds of MiB, which growing would copy.
        var w = ByteWriter(capacity: values.values.reduce(values.ids.count * 2 + 16) { $0 + $1.utf8.count + 5 })
        w.varint(values.count)
        for e in values.values { w.string(e) }
        for id in values.ids { w.varint(Int(id)) }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], count: Int, context: String) throws(FormatError) -> StringChunk {
        var r = ByteReader(bytes, context: context)
        let entryCount = try r.count(limit: r.remaining)
        var entries: [String] = []
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount { entries.append(try r.string()) }
        guard entryCount > 0 || count == 0 else { throw r.damaged("values but an empty dictionary") }
        var ids: [Int32] = []
        ids.reserveCapacity(count)
        for _ in 0..<count {
            let id = try r.count(limit: entryCount - 1)
            ids.append(Int32(id))
        }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last value") }
        return StringChunk(dictionary: entries, ids: ids)
    }
}
