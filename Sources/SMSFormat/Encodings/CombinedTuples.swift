import SMSSupport
import SMSRecords

extension CombinedEncoding {
    /// A combined chunk read only as far as its tuples: the columns' dictionaries, the tuple table
    /// and each row's tuple id, without spreading the tuples into per-column values. An aggregate
    /// over the combined columns (records per operation and result, say) counts rows per tuple
    /// and reads each tuple's values once.
    package struct Tuples {
        /// The combined columns, by position.
        package var columns: [Int]
        /// Per combined column, its value dictionary.
        package var dictionaries: [Values]
        /// Tuple t's part for combined column k at `parts[t * columns.count + k]`: 0 when the
        /// tuple's rows have no value there, else the dictionary entry plus 1.
        package var parts: [Int32]
        /// How many tuples the table holds.
        package var tupleCount: Int
        /// Each row's tuple id.
        package var tupleIDs: [Int32]

        /// The index of column position `column` among `columns`, or nil when the chunk does not hold it.
        package func index(of column: Int) -> Int? { columns.firstIndex(of: column) }

        /// Tuple `tuple`'s part for combined column `k` (0: no value, else the dictionary entry plus 1).
        package func part(_ tuple: Int, _ k: Int) -> Int { Int(parts[tuple * columns.count + k]) }
    }

    /// The chunk's tuples and each row's tuple id, checked as `decode` checks them (every count and
    /// id in range, nothing after the last row), without per-column values.
    package static func decodeTuples(_ bytes: [UInt8], rowCount: Int, context: String) throws(FormatError) -> Tuples {
        var r = ByteReader(bytes, context: context)
        let (columns, dictionaries) = try readDictionaries(&r)
        let columnCount = columns.count
        let sizes: [Int] = dictionaries.map {
            switch $0 {
            case .strings(let v): v.count
            case .integers(let v): v.count
            }
        }
        let tupleCount = try r.count(limit: r.remaining)
        var parts: [Int32] = []
        parts.reserveCapacity(tupleCount * columnCount)
        for _ in 0..<tupleCount {
            for k in 0..<columnCount { parts.append(Int32(try r.count(limit: sizes[k]))) }
        }
        // One varint per row, read inline: this loop is the whole cost of a tuple count.
        var tupleIDs = [Int32](repeating: 0, count: rowCount)
        var at = r.offset
        let limit = UInt64(tupleCount)
        for row in 0..<rowCount {
            guard let id = inlineVarint(bytes, at: &at), id < limit else {
                r.offset = min(at, bytes.count)
                throw r.damaged("row \(row): no tuple id below \(tupleCount)")
            }
            tupleIDs[row] = Int32(id)
        }
        r.offset = at
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last row") }
        return Tuples(columns: columns, dictionaries: dictionaries, parts: parts, tupleCount: tupleCount, tupleIDs: tupleIDs)
    }
}
