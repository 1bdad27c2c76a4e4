import SMSSupport
import SMSFormat
import SMSRecords

/// The records of one block as typed columns, with what is needed to rebuild each record's JSON exactly.
///
/// A batch holds the rows of one block of a segment, matching or not: ``ArchiveReader/scan(_:_:)``
/// and ``ArchiveReader/scanBatches(_:_:)`` say which rows match. (``ArchiveReader/scan(_:_:)`` hands
/// over a batch of only the matching rows when they are a few of the block's.) Rows are numbered from 0 to
/// `count - 1`, in time order; passing a row outside that range is a programming error and traps.
///
/// String columns come as a dictionary and per-row ids, integer columns as `Int64`, times as ticks:
/// analytics code can filter and aggregate without going through JSON text. A column that the query
/// did not decode reads as having no values (see ``ScanQuery/columns``). ``record(row:)`` and
/// ``writeJSON(row:to:)`` rebuild a whole record, exactly as it was read.
///
/// ```swift
/// var counts: [String: Int] = [:]
/// try archive.scanBatches(query) { batch, rows in
///     let (countries, ids) = batch.stringColumn(.country)
///     var perID = [Int](repeating: 0, count: countries.count)
///     for row in rows where ids[row] >= 0 { perID[Int(ids[row])] += 1 }
///     for (id, n) in perID.enumerated() where n > 0 { counts[countries[id], default: 0] += n }
///     return true
/// }
/// ```
///
/// A batch is valid only inside the closure that received it.
public final class RecordBatch {
    /// The number of rows in the batch: every row of the block, matching or not (for
    /// ``ArchiveReader/scan(_:_:)``, sometimes only the matching rows).
    public let count: Int
    /// Each row's time, as 100-nanosecond ticks since 1970-01-01T00:00:00Z, ascending.
    ///
    /// ``ArchiveReader/scan(_:_:)`` always decodes times with the block. ``ArchiveReader/scanBatches(_:_:)``
    /// does when ``ScanQuery/columns`` is `nil` or holds ``/SMSRecords/Column/time``, or the query has a
    /// time range; otherwise the time column is decoded here, on first use, so that an aggregate that
    /// does not read times does not pay for them. Its chunk's checksum was checked when the block was
    /// read; should it still not decode (a damaged block whose checksum matches), the program stops
    /// with the error's message: ask for ``/SMSRecords/Column/time`` to have such damage thrown instead.
    /// `Timestamp(ticks: batch.times[row])` makes a ``/SMSRecords/Timestamp`` of one.
    public var times: [Int64] {
        if let decodedTimes { return decodedTimes }
        guard let timeSource else { return [] }
        do {
            let made = try timeSource()
            decodedTimes = made
            return made
        } catch {
            fatalError("\(error)")
        }
    }
    private var decodedTimes: [Int64]?
    /// Decodes the time column when the batch was made without it.
    private let timeSource: (() throws -> [Int64])?
    package let layoutIDs: [Int64]
    package let layouts: [RenderedLayout]
    package let residuals: StringChunk?
    // Columns by position, not in a Dictionary: writing JSON looks one up per value, and
    // SipHash of the column number cost more than writing the value.
    let stringsByColumn: [StringChunk?]
    let integersByColumn: [[Int64]?]
    private var rowIndexCache: [[Int32]?]
    private var jsonWriters: [ColumnJSONWriter?]
    /// Whether every column was decoded, as rebuilding a whole record needs.
    package let isComplete: Bool

    /// - Parameters:
    ///   - count: the number of rows (nil: `times.count`); `layoutIDs` is empty when not decoded.
    ///   - times: the rows' times, or nil with `timeSource` to decode them on first use.
    package init(count: Int? = nil, times: [Int64]?, timeSource: (() throws -> [Int64])? = nil, layoutIDs: [Int64],
         layouts: [RenderedLayout], strings: [Int: StringChunk],
         integers: [Int: [Int64]], residuals: StringChunk?, rowIndexes: [Int: [Int32]] = [:], isComplete: Bool = true) {
        self.isComplete = isComplete
        self.count = count ?? times?.count ?? 0
        decodedTimes = times
        self.timeSource = times == nil ? timeSource : nil
        self.layoutIDs = layoutIDs
        self.layouts = layouts
        self.residuals = residuals
        let columnCount = FieldSchema.columns.count
        stringsByColumn = (0..<columnCount).map { strings[$0] }
        integersByColumn = (0..<columnCount).map { integers[$0] }
        rowIndexCache = (0..<columnCount).map { rowIndexes[$0] }
        jsonWriters = Array(repeating: nil, count: columnCount)
    }

    /// A batch of the given columns, each string column with the identity dictionary.
    package convenience init(_ block: BlockColumns, layouts: [RecordLayout]) {
        func chunk(_ values: [String]) -> StringChunk { StringChunk(each: values) }
        self.init(times: block.times, layoutIDs: block.layoutIDs, layouts: layouts.map(RenderedLayout.init),
                  strings: block.strings.mapValues(chunk), integers: block.integers,
                  residuals: block.residuals.isEmpty ? nil : chunk(block.residuals))
    }

    package func layout(ofRow row: Int) -> RenderedLayout { layouts[Int(layoutIDs[row])] }

    /// For each row, the position of its value in column `column`'s chunk, or -1 when it has none.
    package func rowIndex(_ column: Int) -> [Int32] {
        if let cached = rowIndexCache[column] { return cached }
        // A column with a value in every row is read without the layouts (see `BlockDecoder`).
        let everyRow = FieldSchema.isEffective(column) || stringsByColumn[column]?.count == count || integersByColumn[column]?.count == count
        let index = everyRow ? (0..<Int32(count)).map { $0 } : Self.rowIndex(column, layoutIDs: layoutIDs, layouts: layouts)
        rowIndexCache[column] = index
        return index
    }

    /// `rowIndex` before a batch exists (layout ids must be valid).
    package static func rowIndex(_ column: Int, layoutIDs: [Int64], layouts: [RenderedLayout]) -> [Int32] {
        RowIndexes.index(column, layoutIDs: layoutIDs, layoutMasks: layouts.map(\.valueMask))
    }

    /// Whether the rows' layouts were decoded: a decoder reads them only for a column that needs
    /// them to place its values (not the category or resource ID, which every row has).
    private var hasLayouts: Bool { layoutIDs.count == count }

    /// The string in `column` for `row`.
    ///
    /// - Parameters:
    ///   - column: A column whose ``/SMSRecords/Column/kind`` is `.string`.
    ///   - row: A row of the batch, from 0 to `count - 1`.
    /// - Returns: The value, or `nil` when the row has none (for ``/SMSRecords/Column/category`` and
    ///   ``/SMSRecords/Column/resourceId``: when it is unknown), when `column` holds no strings (times
    ///   and integers), or when the query did not decode it.
    public func string(_ column: Column, row: Int) -> String? {
        string(column.position, row: row)
    }

    /// The integer in `column` for `row`.
    ///
    /// A value written in the record as a string of digits (such as `"durationMs":"78"`) is
    /// returned as the integer all the same.
    ///
    /// - Parameters:
    ///   - column: A column whose ``/SMSRecords/Column/kind`` is `.integer`, such as `durationMs`.
    ///   - row: A row of the batch, from 0 to `count - 1`.
    /// - Returns: The value, or `nil` when the row has none, when `column` holds no integers (for
    ///   the time, use ``times``), or when the query did not decode it.
    public func integer(_ column: Column, row: Int) -> Int64? {
        integer(column.position, row: row)
    }

    /// A string column as its dictionary and, per row, an index into it: the form to group and
    /// count by, since each distinct value is one string.
    ///
    /// Unlike ``string(_:row:)``, an unknown category or resource ID comes as the empty string
    /// (a dictionary entry), not as -1.
    ///
    /// - Parameter column: A column whose ``/SMSRecords/Column/kind`` is `.string`.
    /// - Returns: The distinct values, and per row of the batch (`count` ids) the index of its
    ///   value in them, or -1 when the row has none. All ids are -1 when `column` holds no strings
    ///   or the query did not decode it.
    public func stringColumn(_ column: Column) -> (dictionary: [String], ids: [Int32]) {
        stringColumn(column.position)
    }

    /// An integer column as one value per row: the form to sum or bucket, such as `Quantity` or
    /// `durationMs`.
    ///
    /// - Parameter column: A column whose ``/SMSRecords/Column/kind`` is `.integer`.
    /// - Returns: Per row of the batch (`count` values) its value, or `nil` when the row has none.
    ///   All are `nil` when `column` holds no integers or the query did not decode it.
    public func integerColumn(_ column: Column) -> [Int64?] {
        let position = column.position
        guard integersByColumn.indices.contains(position), let values = integersByColumn[position] else {
            return [Int64?](repeating: nil, count: count)
        }
        return rowIndex(position).map { $0 >= 0 ? values[Int($0)] : nil }
    }

    /// The string in column position `column` for `row` (see `string(_:row:)`).
    package func string(_ column: Int, row: Int) -> String? {
        guard stringsByColumn.indices.contains(column), let chunk = stringsByColumn[column] else { return nil }
        let i = rowIndex(column)[row]
        guard i >= 0 else { return nil }
        let s = chunk[Int(i)]
        if s.isEmpty && FieldSchema.isEffective(column) { return nil }
        return s
    }

    /// The integer in column position `column` for `row`, or nil when the row has none.
    package func integer(_ column: Int, row: Int) -> Int64? {
        guard integersByColumn.indices.contains(column), let values = integersByColumn[column] else { return nil }
        let i = rowIndex(column)[row]
        return i >= 0 ? values[Int(i)] : nil
    }

    /// Column position `column`'s decoded strings and, per row, the position of its value in them (-1: none),
    /// or nil when the column holds no strings or was not decoded: reads a few rows' values without turning
    /// every value of an identifier chunk into text, as `stringColumn` does.
    package func stringValues(_ column: Int) -> (chunk: StringChunk, rowIndex: [Int32])? {
        guard stringsByColumn.indices.contains(column), let chunk = stringsByColumn[column] else { return nil }
        return (chunk, rowIndex(column))
    }

    /// Per row, whether its value in string column `column` equals one of `values` exactly, when the
    /// column's chunk can tell without turning each value into text (identifiers); else nil.
    package func exactMatches(_ column: Int, _ values: [String]) -> [Bool]? {
        guard stringsByColumn.indices.contains(column), let matcher = stringsByColumn[column]?.exactMatches else { return nil }
        let perValue = matcher(values)
        return rowIndex(column).map { $0 >= 0 && perValue[Int($0)] }
    }

        /// `stringColumn(_:)` by column position.
    package func stringColumn(_ column: Int) -> (dictionary: [String], ids: [Int32]) {
        guard stringsByColumn.indices.contains(column), let chunk = stringsByColumn[column] else {
            return ([], [Int32](repeating: -1, count: count))
        }
        let (dictionary, ids) = chunk.dictionaryForm
        // A value in every row (Country, say): the chunk's ids are already the rows' ids.
        if chunk.count == count { return (dictionary, ids) }
        let index = rowIndex(column)
        return (dictionary, index.map { $0 >= 0 ? ids[Int($0)] : -1 })
    }

    /// Appends the record of `row` as compact JSON text, exactly as it was read.
    ///
    /// The text has the member names, member order, duplicate members, nesting, string values,
    /// number text and time text of the input line, without whitespace: what `smsarchive scan`
    /// prints. No line end is appended.
    ///
    /// - Parameters:
    ///   - row: A row of the batch, from 0 to `count - 1`.
    ///   - out: The buffer to append to.
    /// - Throws: ``ArchiveError/columnsNotDecoded`` when the query decoded only some columns
    ///   (see ``ScanQuery/columns``); ``/SMSSupport/FormatError/damaged(_:)`` when the block is damaged.
    public func writeJSON(row: Int, to out: inout [UInt8]) throws {
        guard isComplete else { throw ArchiveError.columnsNotDecoded }
        let layout = layout(ofRow: row)
        let residualPairs = try residualPairs(row)
        var nextResidual = 0
        // While an escaped `properties` object is written, `out` collects its text and
        // `outer` holds what came before; at its end the text is written as a string.
        var outer: [UInt8]?
        out.append(UInt8(ascii: "{"))
        var first = true
        for step in layout.steps {
            if case .objectEnd = step {
                out.append(UInt8(ascii: "}"))
                if var text = outer {
                    swap(&text, &out)
                    JSONWriter.writeString(String(decoding: text, as: UTF8.self), to: &out)
                    outer = nil
                }
                first = false
                continue
            }
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            switch step {
            case .column(let c, let key):
                out.append(contentsOf: key)
                try writeValue(column: c, row: row, to: &out)
            case .quotedInteger(let c, let key):
                out.append(contentsOf: key)
                out.append(UInt8(ascii: "\""))
                try writeValue(column: c, row: row, to: &out)
                out.append(UInt8(ascii: "\""))
            case .numberText(let c, let key):
                out.append(contentsOf: key)
                guard let text = string(c, row: row) else { throw FormatError.damaged("row \(row): column \(FieldSchema.columns[c].name) missing") }
                out.append(contentsOf: text.utf8)
            case .time(let key, let format):
                out.append(contentsOf: key)
                out.append(UInt8(ascii: "\""))
                format.append(times[row], to: &out)
                out.append(UInt8(ascii: "\""))
            case .objectStart(let key):
                out.append(contentsOf: key)
                out.append(UInt8(ascii: "{"))
                first = true
            case .escapedObjectStart(let key):
                out.append(contentsOf: key)
                outer = []
                swap(&outer!, &out)
                out.append(UInt8(ascii: "{"))
                first = true
            case .residual:
                guard nextResidual < residualPairs.count, case .array(let pair) = residualPairs[nextResidual],
                      pair.count == 2, case .string(let key) = pair[0] else {
                    throw FormatError.damaged("row \(row): residual members do not match the layout")
                }
                nextResidual += 1
                JSONWriter.writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                JSONWriter.write(pair[1], to: &out)
            case .objectEnd:
                break
            }
        }
        // More residual members than the layout places would be members lost without a word.
        guard nextResidual == residualPairs.count else {
            throw FormatError.damaged("row \(row): \(residualPairs.count) residual members for the \(nextResidual) of its layout")
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends row `row`'s value of column `c` as JSON: a string literal or an integer.
    private func writeValue(column c: Int, row: Int, to out: inout [UInt8]) throws {
        guard let writer = jsonWriter(c) else {
            throw FormatError.damaged("row \(row): column \(FieldSchema.columns[c].name) missing")
        }
        guard writer.write(row: row, to: &out) else {
            throw FormatError.damaged("row \(row): no value in column \(FieldSchema.columns[c].name)")
        }
    }

    /// The JSON writer of column `c`, made on first use; nil when the column holds no values.
    private func jsonWriter(_ c: Int) -> ColumnJSONWriter? {
        if let made = jsonWriters[c] { return made }
        let writer: ColumnJSONWriter
        if let chunk = stringsByColumn[c] {
            writer = ColumnJSONWriter(rowIndex: rowIndex(c), strings: chunk)
        } else if let values = integersByColumn[c] {
            writer = ColumnJSONWriter(rowIndex: rowIndex(c), integers: values)
        } else {
            return nil
        }
        jsonWriters[c] = writer
        return writer
    }

    /// Makes now what `writeJSON(row:to:)` would make on first use (each column's row index and
    /// JSON writer), so that from then on several threads may write rows of this batch at once:
    /// nothing else in a batch changes after it is made.
    package func prepareForConcurrentWrites() {
        for c in 0..<FieldSchema.columns.count where stringsByColumn[c] != nil || integersByColumn[c] != nil {
            _ = jsonWriter(c)
        }
        _ = rowIndex(FieldSchema.residual)
        _ = times
    }

    /// The value of the row's residual member named `name`, ignoring ASCII letter case.
    ///
    /// Residual members are those that no typed column holds (see ``residualMembers(row:)``):
    /// fields outside the columns, and values such as a count written `1.0`. Members that a column
    /// holds are not found here; read them with ``string(_:row:)`` or ``integer(_:row:)``.
    ///
    /// - Parameters:
    ///   - name: The member's name.
    ///   - row: A row of the batch, from 0 to `count - 1`.
    /// - Returns: The value of the first residual member with that name, or `nil` when there is none.
    /// - Throws: ``/SMSSupport/FormatError/damaged(_:)`` when the block is damaged, or when the row
    ///   has residual members and the query did not decode every column (``ScanQuery/columns`` not `nil`).
    public func memberValue(named name: String, row: Int) throws -> JSONValue? {
        for case .array(let pair) in try residualPairs(row) where pair.count == 2 {
            if case .string(let key) = pair[0], asciiCaseInsensitiveEquals(key, name) { return pair[1] }
        }
        return nil
    }

    /// The row's members that no typed column holds as written, in the order they were read.
    ///
    /// These are unknown fields, repeated keys, values of another JSON type than their column's
    /// (such as `"durationMs":"78"`, whose column holds 78 all the same), and a `properties` object
    /// escaped into a string (whole).
    ///
    /// - Parameter row: A row of the batch, from 0 to `count - 1`.
    /// - Returns: The members, empty when every member of the record fits its column.
    /// - Throws: ``/SMSSupport/FormatError/damaged(_:)`` when the block is damaged, or when the
    ///   query did not decode every column (``ScanQuery/columns`` not `nil`) and the row needs one
    ///   that is missing.
    public func residualMembers(row: Int) throws -> [JSONMember] {
        guard hasLayouts else { throw ArchiveError.columnsNotDecoded }
        let layout = layout(ofRow: row)
        guard layout.hasDrift else {
            let pairs = try residualPairs(row)
            // As `writeJSON` does: a residual that does not match its layout is damage, not members to guess.
            guard pairs.count == layout.residualCount else {
                throw FormatError.damaged("row \(row): \(pairs.count) residual members for the \(layout.residualCount) of its layout")
            }
            return try pairs.map { pair in
                guard case .array(let p) = pair, p.count == 2, case .string(let key) = p[0] else {
                    throw FormatError.damaged("row \(row): a residual member is not a [key, value] pair")
                }
                return JSONMember(key: key, value: p[1])
            }
        }
        // Drifted values are only known as written from the rebuilt record: walk it beside the layout.
        var bytes: [UInt8] = []
        try writeJSON(row: row, to: &bytes)
        guard case .object(let record) = try JSONParser.parseDocument(bytes, maxDepth: JSONParser.storedMaxDepth) else {
            throw FormatError.damaged("row \(row) is not an object")
        }
        var outer = record.members[...]
        var inner: ArraySlice<JSONMember>?
        var insideEscaped = false
        var result: [JSONMember] = []
        for step in layout.steps {
            if case .objectEnd = step {
                inner = nil
                insideEscaped = false
                continue
            }
            if insideEscaped { continue }
            guard let member = inner != nil ? inner!.popFirst() : outer.popFirst() else {
                throw FormatError.damaged("row \(row): the record has fewer members than its layout")
            }
            switch step {
            case .objectStart:
                guard case .object(let object) = member.value else { throw FormatError.damaged("row \(row): properties is not an object") }
                inner = object.members[...]
            case .escapedObjectStart:
                result.append(member)
                insideEscaped = true
            case .residual, .quotedInteger, .numberText:
                result.append(member)
            default:
                break
            }
        }
        return result
    }

    /// The members the row keeps in the residual column, without rebuilding the record: unlike
    /// `residualMembers(row:)`, only the residual column need be decoded (the Arrow export reads the
    /// typed value of a member whose JSON type differs from its column's from here).
    package func storedResidualMembers(row: Int) throws -> [JSONMember] {
        try residualPairs(row).map { pair in
            guard case .array(let p) = pair, p.count == 2, case .string(let key) = p[0] else {
                throw FormatError.damaged("row \(row): a residual member is not a [key, value] pair")
            }
            return JSONMember(key: key, value: p[1])
        }
    }

    /// The row's residual members as `[key, value]` arrays.
    private func residualPairs(_ row: Int) throws -> [JSONValue] {
        guard hasLayouts else { throw ArchiveError.columnsNotDecoded }
        guard layout(ofRow: row).hasResidual else { return [] }
        guard let residuals else { throw FormatError.damaged("row \(row): the residual column was not read") }
        let i = rowIndex(FieldSchema.residual)[row]
        guard i >= 0, case .array(let pairs) = try JSONParser.parseDocument(residuals[Int(i)], maxDepth: JSONParser.storedMaxDepth) else {
            throw FormatError.damaged("row \(row): residual members missing")
        }
        return pairs
    }

    /// The record of `row`: its JSON object exactly as it was read, its time, category and resource ID.
    ///
    /// This rebuilds the record's JSON text and parses it; for text, ``writeJSON(row:to:)`` is
    /// faster, and for a few fields the typed columns are.
    ///
    /// - Parameter row: A row of the batch, from 0 to `count - 1`.
    /// - Returns: The record; its category and resource ID are `nil` when unknown.
    /// - Throws: ``ArchiveError/columnsNotDecoded`` when the query decoded only some columns
    ///   (see ``ScanQuery/columns``); ``/SMSSupport/FormatError/damaged(_:)`` when the block is damaged.
    public func record(row: Int) throws -> Record {
        var bytes: [UInt8] = []
        try writeJSON(row: row, to: &bytes)
        guard case .object(let object) = try JSONParser.parseDocument(bytes, maxDepth: JSONParser.storedMaxDepth) else {
            throw FormatError.damaged("row \(row) is not an object")
        }
        return Record(object: object, time: Timestamp(ticks: times[row]),
                      category: string(FieldSchema.category, row: row), resourceId: string(FieldSchema.resourceId, row: row))
    }
}

/// Appends `value` in decimal, as `String(value)` would write it, without making a `String`.
package func appendDecimal(_ value: Int64, to out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)   // up to 20 digits, written backwards
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
        repeat {
            buffer[23 - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
            magnitude /= 10
            count += 1
        } while magnitude > 0
        out.append(contentsOf: buffer[(24 - count)...])
    }
}
