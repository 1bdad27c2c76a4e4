import SMSFormat
import SMSRecords

extension RecordBatch {
    /// Whether `selecting(rows:)` is cheaper than keeping the whole batch: a few rows of a block
    /// (one phone number's in each block of a week), where the whole batch would go on to work
    /// out every column's row index and JSON writer for rows that are never written.
    package func shouldSelect(_ rows: Int) -> Bool {
        rows * 4 <= count && rows * max(1, layouts.count) <= count
    }

    /// A batch of only `rows` (ascending rows of this one), in that order: row k of the new batch
    /// is `rows[k]` of this one, with the same values, times and layout, so that it writes the
    /// same JSON, strings and integers.
    ///
    /// Each column's values are gathered for the selected rows alone: a row's position among a
    /// column's values is the number of earlier rows whose layout has the column, summed from the
    /// rows per layout before it (one pass over the layout ids, not one per column).
    ///
    /// `combined`: columns decoded for the selected rows alone (`DecodedBlock.combinedForRows`),
    /// which this batch does not hold.
    package func selecting(rows: [Int], combined: [(column: Int, entries: CombinedEncoding.Values, entryOfRow: [Int32])] = []) -> RecordBatch {
        let times = self.times
        let layoutCount = layouts.count
        let hasLayouts = layoutIDs.count == count && layoutCount > 0
        // Per selected row, how many earlier rows have each layout.
        var before = [Int32](repeating: 0, count: hasLayouts ? rows.count * layoutCount : 0)
        if hasLayouts {
            var perLayout = [Int32](repeating: 0, count: layoutCount)
            var next = 0
            for row in 0..<count {
                if next < rows.count, rows[next] == row {
                    for l in 0..<layoutCount { before[next * layoutCount + l] = perLayout[l] }
                    next += 1
                }
                perLayout[Int(layoutIDs[row])] += 1
            }
        }
        let masks = layouts.map(\.valueMask)
        /// Per selected row, its position among `column`'s values (-1: none).
        func positions(_ column: Int, valueCount: Int) -> [Int32] {
            if FieldSchema.isEffective(column) || valueCount == count { return rows.map { Int32($0) } }
            guard hasLayouts else { return rows.map { _ in -1 } }
            let bit: UInt64 = 1 << UInt64(column)
            let with = (0..<layoutCount).filter { masks[$0] & bit != 0 }
            return rows.indices.map { k in
                guard masks[Int(layoutIDs[rows[k]])] & bit != 0 else { return -1 }
                var position: Int32 = 0
                for l in with { position += before[k * layoutCount + l] }
                return position
            }
        }
        /// The selected rows' positions in the new batch's values: -1 stays, the others count up.
        func compact(_ positions: [Int32]) -> [Int32] {
            var next: Int32 = 0
            return positions.map { p in
                guard p >= 0 else { return -1 }
                defer { next += 1 }
                return next
            }
        }
        var strings: [Int: StringChunk] = [:]
        var integers: [Int: [Int64]] = [:]
        var rowIndexes: [Int: [Int32]] = [:]
        for c in 0..<FieldSchema.columns.count {
            if let chunk = stringsByColumn[c] {
                let at = positions(c, valueCount: chunk.count).filter { $0 >= 0 }
                strings[c] = chunk.gathering(at)
                rowIndexes[c] = compact(positions(c, valueCount: chunk.count))
            } else if let values = integersByColumn[c] {
                let p = positions(c, valueCount: values.count)
                integers[c] = p.filter { $0 >= 0 }.map { values[Int($0)] }
                rowIndexes[c] = compact(p)
            }
        }
        for (c, entries, entryOfRow) in combined where entryOfRow.count == rows.count {
            let present = entryOfRow.filter { $0 >= 0 }
            switch entries {
            case .strings(let dictionary): strings[c] = StringChunk(dictionary: dictionary, ids: present)
            case .integers(let values): integers[c] = present.map { values[Int($0)] }
            }
            rowIndexes[c] = compact(entryOfRow)
        }
        var residuals: StringChunk?
        if let chunk = self.residuals {
            let p = positions(FieldSchema.residual, valueCount: chunk.count)
            residuals = chunk.gathering(p.filter { $0 >= 0 })
            rowIndexes[FieldSchema.residual] = compact(p)
        }
        return RecordBatch(count: rows.count, times: rows.map { times[$0] },
                           layoutIDs: hasLayouts ? rows.map { layoutIDs[$0] } : [], layouts: layouts,
                           strings: strings, integers: integers, residuals: residuals,
                           rowIndexes: rowIndexes, isComplete: isComplete)
    }
}

extension StringChunk {
    /// The values at `positions`, in that order, in the chunk's own form (a dictionary stays one,
    /// identifiers are still formatted only when asked for).
    func gathering(_ positions: [Int32]) -> StringChunk {
        var made: StringChunk
        switch storage {
        case .dictionary(let entries, let ids): made = StringChunk(dictionary: entries, ids: positions.map { ids[Int($0)] })
        case .each(let values): made = StringChunk(each: positions.map { values[Int($0)] })
        case .computed(let make): made = StringChunk(count: positions.count) { make(Int(positions[$0])) }
        }
        if let matcher = exactMatches {
            made.exactMatches = { values in
                let all = matcher(values)
                return positions.map { all[Int($0)] }
            }
        }
        return made
    }
}
