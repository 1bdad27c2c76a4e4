import SMSArchive
import SMSExport
import SMSRecords

/// Turns the matching rows of the reader's batches into Arrow columns, with the values the Parquet
/// export writes (see `ParquetExporter`): a typed field the record wrote in another JSON type (a
/// phone number as a number) comes from its residual member, converted when only one value is possible.
final class BatchBuilder {
    let columns: [OutputColumn]
    private let builders: [ColumnBuilder]
    private let needsFallback: Bool
    private var scratch: [UInt8] = []

    init(columns: [OutputColumn]) {
        self.columns = columns
        builders = columns.map { column in
            switch column {
            case .time: return ColumnBuilder(isText: false)
            case .field(let c): return ColumnBuilder(isText: FieldSchema.columns[c].type != .integer)
            default: return ColumnBuilder(isText: true)
            }
        }
        needsFallback = columns.contains { if case .field = $0 { return true } else { return false } }
    }

    var rowCount: Int { builders.first?.length ?? 0 }

    /// The most text bytes in one column so far (offsets are 32-bit).
    var textBytes: Int { builders.map(\.textBytes).max() ?? 0 }

    /// What the reader must decode for these columns: every column to rebuild `extra` or `record`,
    /// else those asked for and the residual (for typed fields written in another JSON type).
    func configure(_ query: inout ScanQuery) {
        if columns.contains(.extra) || columns.contains(.record) {
            query.columns = nil
            return
        }
        var wanted = Set<Column>()
        for column in columns {
            switch column {
            case .field(let c): wanted.insert(Column(position: c))
            case .category: wanted.insert(.category)
            default: break
            }
        }
        query.columns = wanted
        if needsFallback { query.alsoDecoded.insert(FieldSchema.residual) }
    }

    /// Appends `rows` of `batch`.
    func append(_ batch: RecordBatch, rows: ArraySlice<Int>) throws {
        guard !rows.isEmpty else { return }
        // A typed field without a value may have been written in another JSON type: its residual member's
        // value then (the first, as the export takes it), parsed once per row that needs it. Whether a row
        // has residual members is its layout's, looked up once per layout, not once per value.
        var residualValues: [Int: [Int: JSONValue]] = [:]
        let layoutIDs = batch.layoutIDs
        let layoutHasResidual = needsFallback && layoutIDs.count == batch.count ? batch.layouts.map(\.hasResidual) : []
        func fallback(_ row: Int, _ c: Int) throws -> JSONValue? {
            guard !layoutHasResidual.isEmpty, layoutHasResidual[Int(layoutIDs[row])] else { return nil }
            if let values = residualValues[row] { return values[c] }
            var values: [Int: JSONValue] = [:]
            for member in try batch.storedResidualMembers(row: row) {
                if let column = FieldSchema.column(named: member.key), values[column] == nil { values[column] = member.value }
            }
            residualValues[row] = values
            return values[c]
        }
        for (column, out) in zip(columns, builders) {
            switch column {
            case .time:
                let times = batch.times
                for row in rows {
                    let (nanoseconds, overflow) = times[row].multipliedReportingOverflow(by: 100)
                    guard !overflow else {
                        throw SMSArchiveCError("time \(Timestamp(ticks: times[row]).iso8601) does not fit a timestamp in nanoseconds")
                    }
                    out.append(nanoseconds)
                }
            case .category:
                try appendText(Column.category.position, rows: rows, batch: batch, out: out, emptyIsNull: true) { _, _ in nil }
            case .field(let c) where FieldSchema.columns[c].type == .integer:
                let values = batch.integerColumn(Column(position: c))
                for row in rows {
                    if let value = try values[row] ?? fallback(row, c).flatMap(ResidualConversion.integer) {
                        out.append(value)
                    } else {
                        out.appendNull()
                    }
                }
            case .field(let c):
                try appendText(c, rows: rows, batch: batch, out: out, emptyIsNull: c == Column.resourceId.position, fallback: fallback)
            case .extra:
                for row in rows {
                    let members = try batch.residualMembers(row: row)
                    if members.isEmpty {
                        out.appendNull()
                    } else {
                        try JSONWriter.bytes(of: JSONObject(members)).withUnsafeBytes { try out.append(text: $0) }
                    }
                }
            case .record:
                for row in rows {
                    scratch.removeAll(keepingCapacity: true)
                    try batch.writeJSON(row: row, to: &scratch)
                    try scratch.withUnsafeBytes { try out.append(text: $0) }
                }
            }
        }
    }

    /// A text column, by archive position. `emptyIsNull`: an unknown category or resource ID is stored as
    /// the empty string, and reads as null (as `RecordBatch.string` gives it). Only the rows asked for are
    /// turned into text (identifier chunks format their values on demand); a dictionary's entries are
    /// copied as bytes, each turned into UTF-8 once, not once per row.
    private func appendText(_ c: Int, rows: ArraySlice<Int>, batch: RecordBatch, out: ColumnBuilder, emptyIsNull: Bool,
                            fallback: (Int, Int) throws -> JSONValue?) throws {
        func missing(_ row: Int) throws {
            if let value = try fallback(row, c).flatMap(ResidualConversion.string) { try out.append(text: value) } else { out.appendNull() }
        }
        guard let (chunk, index) = batch.stringValues(c) else {
            for row in rows { try missing(row) }
            return
        }
        switch chunk.storage {
        case .dictionary(let entries, let ids) where rows.count >= entries.count:
            let table = EntryBytes(entries)
            try index.withUnsafeBufferPointer { index in
                try ids.withUnsafeBufferPointer { ids in
                    for row in rows {
                        let i = index[row]
                        guard i >= 0 else { try missing(row); continue }
                        let entry = Int(ids[Int(i)])
                        if emptyIsNull && table.isEmpty(entry) { out.appendNull() } else { try table.withBytes(entry) { try out.append(text: $0) } }
                    }
                }
            }
        case .each(let values):
            for row in rows {
                let i = index[row]
                guard i >= 0 else { try missing(row); continue }
                let value = values[Int(i)]
                if emptyIsNull && value.isEmpty { out.appendNull() } else { try out.append(text: value) }
            }
        default:
            for row in rows {
                let i = index[row]
                guard i >= 0 else { try missing(row); continue }
                let value = chunk[Int(i)]
                if emptyIsNull && value.isEmpty { out.appendNull() } else { try out.append(text: value) }
            }
        }
    }

    /// The rows so far as one Arrow struct array (a record batch); the builder is empty again.
    func finish() -> ExportedArray {
        let length = rowCount
        return ExportedArray(length: length, nullCount: 0, buffers: [nil], children: builders.map { $0.finish() })
    }
}

/// A dictionary's entries as UTF-8 bytes one after another: each entry is turned into bytes once.
private struct EntryBytes {
    private var bytes: [UInt8] = []
    private var ends: [Int] = []

    init(_ entries: [String]) {
        ends.reserveCapacity(entries.count)
        for entry in entries {
            bytes.append(contentsOf: entry.utf8)
            ends.append(bytes.count)
        }
    }

    func isEmpty(_ entry: Int) -> Bool { ends[entry] == (entry == 0 ? 0 : ends[entry - 1]) }

    func withBytes<T>(_ entry: Int, _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        let start = entry == 0 ? 0 : ends[entry - 1]
        return try bytes.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<ends[entry]])) }
    }
}
