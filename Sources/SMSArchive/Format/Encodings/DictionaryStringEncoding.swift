/// Strings as a dictionary of the distinct values (in order of first use, each
/// a varint length and bytes, preceded by their count), then one varint id per value.
enum DictionaryStringEncoding {
    static func encode(_ values: [String]) -> [UInt8] {
        var ids = DenseIDTable<ExactString>()
        let rows = values.map { ids.id(ExactString($0)) }
        var w = ByteWriter(capacity: values.count * 2)
        w.varint(ids.count)
        for e in ids.keys { w.string(e.value) }
        for id in rows { w.varint(id) }
        return w.bytes
    }

    static func decode(_ bytes: [UInt8], count: Int, context: String) throws(FormatError) -> StringChunk {
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
