import SMSSupport
import SMSRecords

/// The encodings of version-1 (row-document) blocks, see `ColumnEncoding`; kept so old archives stay readable.
package enum RowDocumentCodecs {
    // Version 1's time column is laid out exactly as version 2's deltaVarint chunks.
    package static func encodeDeltaVarint(_ values: [Int64]) -> [UInt8] {
        DeltaVarintEncoding.encode(values)
    }

    package static func decodeDeltaVarint(_ bytes: [UInt8], rows: Int, context: String) throws(FormatError) -> [Int64] {
        try DeltaVarintEncoding.decode(bytes, count: rows, context: context)
    }

    package static func encodePlainBytes(_ values: [[UInt8]]) -> [UInt8] {
        var w = ByteWriter(capacity: values.reduce(0) { $0 + $1.count + 2 })
        for v in values { w.lengthPrefixed(v) }
        return w.bytes
    }

    package static func decodePlainBytes(_ bytes: [UInt8], rows: Int, context: String) throws(FormatError) -> [ArraySlice<UInt8>] {
        var r = ByteReader(bytes, context: context)
        var values: [ArraySlice<UInt8>] = []
        values.reserveCapacity(rows)
        for _ in 0..<rows { values.append(try r.lengthPrefixed()) }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last value") }
        return values
    }

    package static func encodeDictionary(_ values: [String?]) -> [UInt8] {
        var ids: [ExactString: Int] = [:]
        var entries: [String] = []
        var rows: [Int] = []
        rows.reserveCapacity(values.count)
        for v in values {
            guard let v else { rows.append(0); continue }
            if let id = ids[ExactString(v)] { rows.append(id + 1); continue }
            ids[ExactString(v)] = entries.count
            entries.append(v)
            rows.append(entries.count)
        }
        var w = ByteWriter()
        w.varint(entries.count)
        for e in entries { w.string(e) }
        for id in rows { w.varint(id) }
        return w.bytes
    }

    package static func decodeDictionary(_ bytes: [UInt8], rows: Int, context: String) throws(FormatError) -> [String?] {
        var r = ByteReader(bytes, context: context)
        let entryCount = try r.count(limit: r.remaining)
        var entries: [String] = []
        entries.reserveCapacity(entryCount)
        for _ in 0..<entryCount { entries.append(try r.string()) }
        var values: [String?] = []
        values.reserveCapacity(rows)
        for _ in 0..<rows {
            let id = try r.count(limit: entryCount)
            values.append(id == 0 ? nil : entries[id - 1])
        }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last value") }
        return values
    }
}
