import SMSSupport
import SMSRecords

/// Several low-cardinality columns of a block stored as one: each row's
/// combination of their values is an entry of a small tuple dictionary, and
/// the row keeps only the tuple's id. Columns that move together (operation,
/// its API version, URI, category, result, number type...) then cost about one
/// small id per row in all, instead of one per column.
///
/// Layout: varint column count, the columns (varints); per column its value
/// dictionary (varint count, then strings as varint length and bytes, or integers
/// as zigzag varints); varint tuple count, each tuple one varint per column
/// (0: the row has no value there, k: dictionary entry k-1); then one varint tuple id per row.
package enum CombinedEncoding {
    /// A column's values, keyed for the tuple dictionary.
    package enum Values {
        case strings([String])
        case integers([Int64])
    }

    /// A decoded column: strings as a dictionary and ids, or integers.
    package enum Decoded {
        case strings(StringChunk)
        case integers([Int64])
    }

    /// Encodes `columns` for `rowCount` rows; `valueAt(column, row)` is the row's
    /// index into that column's values, or nil when the row has none.
    package static func encode(columns: [(column: Int, values: Values)], rowCount: Int, valueAt: (Int, Int) -> Int?) -> [UInt8] {
        encodeWithTuples(columns: columns, rowCount: rowCount, valueAt: valueAt).bytes
    }

    /// A column's values as first-occurrence ids, as the block encoder has them.
    package enum Distinct {
        case strings(DistinctIDs<String>)
        case integers(DistinctIDs<Int64>)

        package var ids: [Int32] {
            switch self {
            case .strings(let d): d.ids
            case .integers(let d): d.ids
            }
        }
    }

    /// `encode`, also giving each row's tuple id.
    package static func encodeWithTuples(columns: [(column: Int, values: Values)], rowCount: Int, valueAt: (Int, Int) -> Int?) -> (bytes: [UInt8], tupleIDs: [Int32]) {
        let distinct: [(column: Int, values: Distinct, rowIndex: [Int32])] = columns.map { column, values in
            let rowIndex = (0..<rowCount).map { row in valueAt(column, row).map { Int32($0) } ?? -1 }
            switch values {
            case .strings(let v): return (column, .strings(DistinctIDs(v)), rowIndex)
            case .integers(let v): return (column, .integers(DistinctIDs(v)), rowIndex)
            }
        }
        return encodeWithTuples(distinct: distinct, rowCount: rowCount)
    }

    /// `encodeWithTuples` for columns given as first-occurrence ids (the dictionary entries)
    /// and, per row, the index of its value or -1 (`rowIndex`).
    package static func encodeWithTuples(distinct columns: [(column: Int, values: Distinct, rowIndex: [Int32])], rowCount: Int) -> (bytes: [UInt8], tupleIDs: [Int32]) {
        var tuples = TupleBuilder(rowCount: rowCount)
        for (_, values, rowIndex) in columns { _ = tuples.add(ids: values.ids, rowIndex: rowIndex) }
        return (encode(columns: columns.map { ($0.column, $0.values) }, tuples: tuples), tuples.tupleOfRow)
    }

    /// The tuples of a combined chunk, built a column at a time: the block encoder adds the
    /// columns it tries and keeps each only while the tuples stay few, then writes what it built.
    ///
    /// Each row's (tuple so far, part) pair is given a dense id: pairs first occur in the order
    /// whole tuples first occur, so the ids are those of a table of whole tuples, without an
    /// array per row.
    package struct TupleBuilder {
        /// Each row's tuple id.
        package private(set) var tupleOfRow: [Int32]
        /// Per added column, its pairs by id: the previous column's tuple id (high 32 bits) and the part.
        private(set) var levels: [[UInt64]] = []
        private var scratch: [Int32]

        package init(rowCount: Int) {
            tupleOfRow = [Int32](repeating: 0, count: rowCount)
            scratch = tupleOfRow
        }

        /// The number of distinct tuples.
        package var count: Int { levels.last?.count ?? (tupleOfRow.isEmpty ? 0 : 1) }

        /// Adds a column given as first-occurrence ids (`ids`) and each row's index into them or -1
        /// (`rowIndex`); false, and nothing added, when that would make more than `limit` tuples.
        package mutating func add(ids: [Int32], rowIndex: [Int32], limit: Int = .max) -> Bool {
            // Tuple ids so far are below `count` and parts below the column's distinct values plus
            // one: when those pairs are few, a flat table of them, no hashing (the block encoder
            // tries every low-cardinality column this way).
            let width = Int(ids.max() ?? -1) + 2
            let (slots, overflow) = count.multipliedReportingOverflow(by: width)
            if !overflow, slots <= 1 << 16 {
                return addFlat(ids: ids, rowIndex: rowIndex, limit: limit, width: width)
            }
            var pairs = DenseIDTable<UInt64>(expectedCount: limit == .max ? 16 : limit + 1)
            // Neighbouring rows often have the same pair: it needs no lookup.
            var previous: (pair: UInt64, id: Int32)? = nil
            for row in 0..<tupleOfRow.count {
                let i = rowIndex[row]
                let part: UInt64 = i >= 0 ? UInt64(ids[Int(i)]) + 1 : 0
                let pair = UInt64(UInt32(tupleOfRow[row])) << 32 | part
                if let previous, previous.pair == pair {
                    scratch[row] = previous.id
                    continue
                }
                let id = Int32(pairs.id(pair))
                if pairs.count > limit { return false }
                scratch[row] = id
                previous = (pair, id)
            }
            swap(&tupleOfRow, &scratch)
            levels.append(pairs.keys)
            return true
        }

        /// `add` with the pairs' ids in a flat table of `count` × `width` slots: the same ids, in
        /// the same order of first occurrence.
        private mutating func addFlat(ids: [Int32], rowIndex: [Int32], limit: Int, width: Int) -> Bool {
            var table = [Int32](repeating: -1, count: count * width)
            var keys: [UInt64] = []
            let refused: Bool = table.withUnsafeMutableBufferPointer { table in
                scratch.withUnsafeMutableBufferPointer { out in
                    tupleOfRow.withUnsafeBufferPointer { tupleOfRow in
                        for row in 0..<tupleOfRow.count {
                            let i = rowIndex[row]
                            let part = i >= 0 ? Int(ids[Int(i)]) + 1 : 0
                            let tuple = Int(tupleOfRow[row])
                            let slot = tuple * width + part
                            var id = table[slot]
                            if id < 0 {
                                if keys.count == limit { return true }
                                id = Int32(keys.count)
                                table[slot] = id
                                keys.append(UInt64(tuple) << 32 | UInt64(part))
                            }
                            out[row] = id
                        }
                        return false
                    }
                }
            }
            if refused { return false }
            swap(&tupleOfRow, &scratch)
            levels.append(keys)
            return true
        }
    }

    /// The chunk of `columns` (as first-occurrence ids), whose tuples `tuples` holds, built from
    /// those columns in that order.
    package static func encode(columns: [(column: Int, values: Distinct)], tuples: TupleBuilder) -> [UInt8] {
        var w = ByteWriter()
        w.varint(columns.count)
        for (column, values) in columns {
            w.varint(column)
            switch values {
            case .strings(let d):
                w.varint(d.count)
                for e in d.values { w.string(e) }
            case .integers(let d):
                w.varint(d.count)
                for e in d.values { w.signedVarint(e) }
            }
        }
        let levels = tuples.levels
        let tupleCount = tuples.count
        w.varint(tupleCount)
        var parts = [UInt64](repeating: 0, count: levels.count)
        for tuple in 0..<tupleCount {
            var id = tuple
            for k in levels.indices.reversed() {
                let pair = levels[k][id]
                parts[k] = pair & 0xFFFF_FFFF
                id = Int(pair >> 32)
            }
            for part in parts { w.varint(part) }
        }
        for id in tuples.tupleOfRow { w.varint(Int(id)) }
        return w.bytes
    }

    /// The decoded columns: for each, its values in row order (rows without a value skipped).
    package static func decode(_ bytes: [UInt8], rowCount: Int, context: String) throws(FormatError) -> [(column: Int, values: Decoded)] {
        try decodeWithTuples(bytes, rowCount: rowCount, context: context).columns
    }

    /// `decode`, also giving each row's tuple id.
    package static func decodeWithTuples(_ bytes: [UInt8], rowCount: Int, context: String) throws(FormatError) -> (columns: [(column: Int, values: Decoded)], tupleIDs: [Int32]) {
        let made = try decodeSelected(bytes, rowCount: rowCount, context: context, wanted: nil)
        return (made.columns, made.tupleIDs)
    }

    /// What `decodeSelected` gives.
    package struct Selected {
        /// Every column the chunk holds, placed or not.
        package var stored: [Int]
        /// The placed columns (without `rows`): their values in row order, rows without one skipped.
        package var columns: [(column: Int, values: Decoded)]
        package var tupleIDs: [Int32]
        /// The placed columns (with `rows`): the dictionary, each selected row's entry (-1: none),
        /// and how many rows of the whole block have a value.
        package var forRows: [(column: Int, entries: Values, entryOfRow: [Int32], valueCount: Int)] = []
    }

    /// The chunk's head: the combined columns and each one's dictionary, checked (a column that
    /// cannot be combined, or named twice, is damage). `r` is left at the tuple count.
    static func readDictionaries(_ r: inout ByteReader) throws(FormatError) -> (columns: [Int], dictionaries: [Values]) {
        let columnCount = try r.count(limit: FieldSchema.columns.count)
        var columns: [Int] = []
        var dictionaries: [Values] = []
        for _ in 0..<columnCount {
            let column = try r.count(limit: FieldSchema.columns.count - 1)
            guard column >= FieldSchema.category, column != FieldSchema.combined, !columns.contains(column) else {
                throw r.damaged("column \(column) cannot be combined")
            }
            columns.append(column)
            let entries = try r.count(limit: r.remaining)
            switch FieldSchema.columns[column].type {
            case .string:
                var values: [String] = []
                for _ in 0..<entries { values.append(try r.string()) }
                dictionaries.append(.strings(values))
            case .integer:
                var values: [Int64] = []
                for _ in 0..<entries { values.append(try r.signedVarint()) }
                dictionaries.append(.integers(values))
            default:
                throw r.damaged("column \(column) cannot be combined")
            }
        }
        return (columns, dictionaries)
    }

    /// `decodeWithTuples` that places the values of only the columns in `wanted` (nil: all): a
    /// count by one column (one day's Failed) reads every tuple id but fills one column, not all.
    /// With `rows` (ascending rows of the block), a column's values are placed for those rows
    /// alone, in `forRows`: a scan that writes a few rows of a block reads each row's tuple id but
    /// looks up only the selected rows' values. The whole chunk is checked alike in every case.
    package static func decodeSelected(_ bytes: [UInt8], rowCount: Int, context: String, wanted: Set<Int>?,
                                       rows: [Int]? = nil) throws(FormatError) -> Selected {
        var r = ByteReader(bytes, context: context)
        guard rowCount >= 0 else { throw r.damaged("\(rowCount) rows") }
        let (columns, dictionaries) = try readDictionaries(&r)
        let columnCount = columns.count
        let tupleCount = try r.count(limit: r.remaining)
        // The tuples as one flat table, column by column: `parts[k * tupleCount + t]` is tuple t's part
        // in column k (0: no value, p: entry p-1). Rows are then placed a column at a time, each a
        // tight loop over the rows' tuple ids, with no array or enum per tuple or part.
        let sizes: [Int] = dictionaries.map {
            switch $0 {
            case .strings(let v): v.count
            case .integers(let v): v.count
            }
        }
        var parts = [Int32](repeating: 0, count: tupleCount * columnCount)
        for t in 0..<tupleCount {
            for k in 0..<columnCount { parts[k * tupleCount + t] = Int32(try r.count(limit: sizes[k])) }
        }
        var tupleIDs = [Int32](repeating: 0, count: rowCount)
        // Rows per tuple, to size each column's values exactly.
        var rowsOfTuple = [Int](repeating: 0, count: tupleCount)
        var row = 0
        while row < rowCount {
            // Nearly every id is one byte below the tuple count: runs of those are read inline,
            // without the reader; any other id goes through it (and its checks and errors).
            var offset = r.offset
            let fastEnd = min(rowCount, row + (bytes.count - offset))
            bytes.withUnsafeBufferPointer { bytes in
                tupleIDs.withUnsafeMutableBufferPointer { ids in
                    rowsOfTuple.withUnsafeMutableBufferPointer { perTuple in
                        while row < fastEnd {
                            let id = Int(bytes[offset])
                            guard id < tupleCount else { break }   // also every byte >= 0x80 past 127 tuples
                            guard bytes[offset] < 0x80 else { break }
                            ids[row] = Int32(id)
                            perTuple[id] += 1
                            offset += 1
                            row += 1
                        }
                    }
                }
            }
            r.offset = offset
            guard row < rowCount else { break }
            let id = try r.count(limit: max(0, tupleCount - 1))
            guard id < tupleCount else { throw r.damaged("tuple \(id) of \(tupleCount)") }
            tupleIDs[row] = Int32(id)
            rowsOfTuple[id] += 1
            row += 1
        }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last row") }
        if let rows {
            var result = Selected(stored: columns, columns: [], tupleIDs: tupleIDs)
            for k in 0..<columnCount where wanted?.contains(columns[k]) ?? true {
                let table = parts[k * tupleCount..<(k + 1) * tupleCount]
                var valueCount = 0
                for t in 0..<tupleCount where table[table.startIndex + t] > 0 { valueCount += rowsOfTuple[t] }
                let entryOfRow = rows.map { row in table[table.startIndex + Int(tupleIDs[row])] - 1 }
                result.forRows.append((columns[k], dictionaries[k], entryOfRow, valueCount))
            }
            return result
        }
        var decoded: [(column: Int, values: Decoded)] = []
        decoded.reserveCapacity(columnCount)
        parts.withUnsafeBufferPointer { parts in
            tupleIDs.withUnsafeBufferPointer { ids in
                for k in 0..<columnCount where wanted?.contains(columns[k]) ?? true {
                    let table = UnsafeBufferPointer(rebasing: parts[k * tupleCount..<(k + 1) * tupleCount])
                    var valueCount = 0
                    for t in 0..<tupleCount where table[t] > 0 { valueCount += rowsOfTuple[t] }
                    switch dictionaries[k] {
                    case .strings(let entries):
                        // One spare place: every row writes (no branch to mispredict on columns that
                        // only some rows have); a row without a value is overwritten by the next one.
                        let values = [Int32](unsafeUninitializedCapacity: valueCount + 1) { out, made in
                            var n = 0
                            if valueCount > 0 {
                                for row in 0..<rowCount {
                                    let part = table[Int(ids[row])]
                                    out[n] = part &- 1
                                    n &+= part > 0 ? 1 : 0
                                }
                            }
                            made = n
                        }
                        decoded.append((columns[k], .strings(StringChunk(dictionary: entries, ids: values))))
                    case .integers(let entries):
                        let values = [Int64](unsafeUninitializedCapacity: valueCount + 1) { out, made in
                            entries.withUnsafeBufferPointer { entries in
                                var n = 0
                                if valueCount > 0 {
                                    for row in 0..<rowCount {
                                        let part = table[Int(ids[row])]
                                        out[n] = entries[Int(max(part, 1)) - 1]
                                        n &+= part > 0 ? 1 : 0
                                    }
                                }
                                made = n
                            }
                        }
                        decoded.append((columns[k], .integers(values)))
                    }
                }
            }
        }
        return Selected(stored: columns, columns: decoded, tupleIDs: tupleIDs)
    }
}
