import SMSSupport

/// Strings, each a varint byte length and its UTF-8 bytes.
package enum PlainStringEncoding {
    package static func encode(_ values: [String]) -> [UInt8] {
        var w = ByteWriter(capacity: values.reduce(0) { $0 + $1.utf8.count + 1 })
        for v in values { w.string(v) }
        return w.bytes
    }

    /// The values given as UTF-8.
    package static func encode(_ column: TextColumn) -> [UInt8] {
        var w = ByteWriter(capacity: column.bytes.count + column.count * 2)
        column.withValues { values in
            for i in 0..<values.count { w.lengthPrefixed(values[i]) }
        }
        return w.bytes
    }

    /// The values given as first-occurrence ids: each distinct value is encoded once and copied.
    package static func encode(_ values: DistinctIDs<String>) -> [UInt8] {
        var entries = ByteWriter()
        var ends: [Int] = []
        ends.reserveCapacity(values.count)
        for v in values.values {
            entries.string(v)
            ends.append(entries.count)
        }
        let capacity = values.ids.reduce(0) { $0 + ends[Int($1)] - ($1 == 0 ? 0 : ends[Int($1) - 1]) }
        var w = ByteWriter(capacity: capacity)
        entries.bytes.withUnsafeBufferPointer { e in
            for id in values.ids {
                let start = id == 0 ? 0 : ends[Int(id) - 1]
                w.raw(UnsafeBufferPointer(rebasing: e[start..<ends[Int(id)]]))
            }
        }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], count: Int, context: String) throws(FormatError) -> StringChunk {
        var r = ByteReader(bytes, context: context)
        var values: [String] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try r.string()) }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last value") }
        return StringChunk(each: values)
    }
}
