import SMSSupport
import SMSFormat
import SMSRecords

/// Collects records for one segment in a compact, column-ready form: each
/// record is taken apart once (layout, values, residual), repeated strings are
/// held once, and rows are sorted by time only when the segment is written.
package final class SegmentBuilder {
    private(set) var layouts: [RecordLayout] = []
    /// Layouts by their encoded bytes; an id here is an index into `layouts`.
    private var layoutIDs = ByteInterner()
    /// Per layout, the columns of its value slots in order.
    private(set) var layoutSlotColumns: [[Int]] = []
    private(set) var layoutHasResidual: [Bool] = []
    /// Per layout, bit c set when its rows have a value in column c's chunk.
    private(set) var layoutMasks: [UInt64] = []

    private var strings = ByteInterner()
    /// Identifiers (nearly all distinct) are not interned: their UTF-8 goes here,
    /// each as a varint length and bytes, and the slot holds the offset.
    private var arena = ByteWriter()
    private(set) var ticks: [Int64] = []
    private var layoutOfRow: [Int32] = []
    private var categoryOfRow: [UInt32] = []
    private var resourceOfRow: [UInt32] = []
    private var residualOfRow: [UInt32] = []
    /// Bytes of text of each row as added (its values and residual): blocks are cut by it.
    private var textBytesOfRow: [Int32] = []
    /// Slot values of all rows: interned string ids or integers.
    /// 32 bits a value: interned ids, arena offsets, and integers in 0..<2^31; other
    /// integers are kept in `wideIntegers` and their slot is 2^31 + their index there.
    private var slots: [UInt32] = []
    private var wideIntegers: [Int64] = []
    private static let wideFlag: UInt32 = 0x8000_0000
    private var slotStart: [Int32] = [0]

    /// Rows at or after this time were moved to another builder (`split(at:)`) and are not written from this one.
    private var cutoff = Int64.max
    private var rowsMovedOut = 0

    /// The records this builder will write.
    package var count: Int { ticks.count - rowsMovedOut }

    /// The distinct effective categories of the records, sorted ("" when unknown).
    package var categories: [String] {
        Set(ticks.indices.lazy.filter { self.ticks[$0] < self.cutoff }.map { self.categoryOfRow[$0] }).map { strings[$0] }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// The memory held, to bound a segment's size: what is used, plus half again for the room
    /// arrays keep to grow. Counted from sizes, not capacities (which depend on the allocator), so
    /// that the same input always gives the same segments.
    package var estimatedBytes: Int {
        let rows = ticks.count
        let used = strings.byteCount + layoutIDs.byteCount + arena.count + slots.count * 4 + wideIntegers.count * 8
            + rows * (4 + 8 + 4 * 4) + layouts.count * 512
        return used + used / 2
    }

    private static let none: UInt32 = .max

    /// The batch whose ids `layoutFromBatch` and `stringFromBatch` translate (see `add(_:row:batchNumber:)`).
    private var translatedBatch = Int.min
    /// Per layout of that batch, its id here, or `none` while not yet looked up.
    private var layoutFromBatch: [UInt32] = []
    /// Per string of that batch, its id in `strings`, or `none` while not yet looked up.
    private var stringFromBatch: [UInt32] = []
    /// Numbers for the batches of one that `add(_ shredded:)` makes: negative, apart from the caller's.
    private var singleBatches = 0

    package func add(_ record: Record) {
        add(RecordShredder.shred(record))
    }

    /// Adds a record already taken apart.
    package func add(_ shredded: ShreddedRecord) {
        // Through a batch of one: records reach a builder one way only, so they are stored alike.
        var batch = ShreddedBatch()
        _ = batch.append(shredded)
        singleBatches -= 1
        add(batch, row: 0, batchNumber: singleBatches)
    }

    /// Adds row `row` of `batch`. `batchNumber` tells batches apart (the caller counts them): the
    /// ids of a batch's repeated values are translated to this builder's once, on first use.
    package func add(_ batch: ShreddedBatch, row: Int, batchNumber: Int) {
        if batchNumber != translatedBatch {
            translatedBatch = batchNumber
            layoutFromBatch.removeAll(keepingCapacity: true)
            layoutFromBatch.append(contentsOf: repeatElement(Self.none, count: batch.layouts.count))
            stringFromBatch.removeAll(keepingCapacity: true)
            stringFromBatch.append(contentsOf: repeatElement(Self.none, count: batch.strings.count))
        }
        let localLayout = Int(batch.layoutOfRow[row])
        var layoutID = layoutFromBatch[localLayout]
        if layoutID == Self.none {
            layoutID = batch.layouts.withKey(localLayout) { layoutIDs.id($0, hash: $1) }
            layoutFromBatch[localLayout] = layoutID
            if Int(layoutID) == layouts.count {
                // The key was written by `RecordLayout`'s own token writers, so it always decodes.
                let layout = batch.layouts.withKey(localLayout) { key, _ in
                    try! RecordLayout.decode(Array(key), columnCount: FieldSchema.columns.count, version: .max, context: "a record's layout")
                }
                layouts.append(layout)
                layoutSlotColumns.append(batch.layoutSlotColumns[localLayout].map(Int.init))
                layoutHasResidual.append(layout.tokens.contains(.residual))
                layoutMasks.append(RenderedLayout(layout).columnMask)
            }
        }
        ticks.append(batch.ticks[row])
        layoutOfRow.append(Int32(layoutID))
        categoryOfRow.append(string(batch.categoryOfRow[row], of: batch))
        resourceOfRow.append(string(batch.resourceOfRow[row], of: batch))
        let first = Int(batch.slotStart[row])
        let integerColumns = Self.integerColumnMask, identifierColumns = BlockEncoder.identifierColumnMask
        for (i, column) in batch.layoutSlotColumns[localLayout].enumerated() {
            let value = batch.slots[first + i]
            let bit = UInt64(1) << UInt64(column)
            if integerColumns & bit != 0 {
                if value >= 0 && value < Int64(Self.wideFlag) {
                    slots.append(UInt32(value))
                } else {
                    slots.append(Self.wideFlag | UInt32(wideIntegers.count))
                    wideIntegers.append(value)
                }
            } else if identifierColumns & bit != 0 {
                slots.append(UInt32(arena.count))
                arena.raw(batch.identifiers.bytes[batch.identifierEntry(at: Int(value))])
            } else {
                slots.append(string(UInt32(value), of: batch))
            }
        }
        let residual = batch.residualOfRow[row]
        residualOfRow.append(residual == ShreddedBatch.noResidual ? Self.none : string(residual, of: batch))
        textBytesOfRow.append(batch.textBytesOfRow[row])
        slotStart.append(Int32(slots.count))
    }

    /// The id in `strings` of string `local` of `batch`, the batch being translated.
    @inline(__always)
    private func string(_ local: UInt32, of batch: borrowing ShreddedBatch) -> UInt32 {
        if local >= ShreddedBatch.largeID { return strings.id(batch.large[Int(local - ShreddedBatch.largeID)]) }
        let known = stringFromBatch[Int(local)]
        if known != Self.none { return known }
        let id = batch.strings.withKey(Int(local)) { strings.id($0, hash: $1) }
        stringFromBatch[Int(local)] = id
        return id
    }

    /// Bytes of text of row `row`: its string values and residual (at most its line's length).
    package func textBytes(ofRow row: Int) -> Int { Int(textBytesOfRow[row]) }

    /// The integer a slot holds: itself, or its entry in `wideIntegers`.
    private func integer(inSlot value: UInt32) -> Int64 {
        value & Self.wideFlag == 0 ? Int64(value) : wideIntegers[Int(value & ~Self.wideFlag)]
    }

    /// The integer columns, a bit per column.
    private static let integerColumnMask: UInt64 = FieldSchema.columns.indices.reduce(0) {
        FieldSchema.columns[$1].type == .integer ? $0 | 1 << UInt64($1) : $0
    }

    /// Identifier columns keep their values in the arena (offset in the slot), not interned.
    private static func isIdentifier(_ column: Int) -> Bool {
        BlockEncoder.identifierColumnMask & (1 << UInt64(column)) != 0
    }

    private func arenaString(at offset: Int) -> String {
        arena.bytes.withUnsafeBufferPointer { String(decoding: Self.arenaValue(in: $0, at: offset), as: UTF8.self) }
    }

    /// The bytes of the arena value at `offset` (a varint length and the bytes).
    private static func arenaValue(in arena: UnsafeBufferPointer<UInt8>, at offset: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: arena[ByteWriter.prefixedValue(in: arena, at: offset)])
    }

    /// Row indices in time order (ties keep arrival order).
    package func sortedOrder() -> [Int] {
        let rows = rowsMovedOut == 0 ? Array(ticks.indices) : ticks.indices.filter { ticks[$0] < cutoff }
        return rows.sorted { ticks[$0] != ticks[$1] ? ticks[$0] < ticks[$1] : $0 < $1 }
    }

    /// Moves the records of time `cut` and later into a new builder, which it returns;
    /// this one then writes only the earlier ones.
    ///
    /// A segment cut at the start of the hour being read keeps that hour's records
    /// together in the next segment: a usage record or delivery report is then in the
    /// same segment (and block) as its send, and is stored as a short link to it.
    package func split(at cut: Int64) -> SegmentBuilder {
        precondition(rowsMovedOut == 0, "a builder is split once")
        let rest = SegmentBuilder()
        var layoutKeys: [[UInt8]?] = Array(repeating: nil, count: layouts.count)
        for row in ticks.indices where ticks[row] >= cut {
            let layout = Int(layoutOfRow[row])
            if layoutKeys[layout] == nil { layoutKeys[layout] = layouts[layout].encoded() }
            rest.add(shreddedRow(row, layoutKey: layoutKeys[layout]!))
            rowsMovedOut += 1
        }
        cutoff = cut
        return rest
    }

    /// `split(at:)` at the start of the hour of the latest record, when that leaves at most
    /// half the records for the new builder; otherwise nil (nothing is moved).
    package func splitAtLatestHour() -> SegmentBuilder? {
        guard let latest = ticks.max() else { return nil }
        let hour = 3600 * Timestamp.ticksPerSecond
        let cut = latest - ((latest % hour) + hour) % hour
        let later = ticks.reduce(0) { $0 + ($1 >= cut ? 1 : 0) }
        guard later > 0, later * 2 <= ticks.count else { return nil }
        return split(at: cut)
    }

    /// Row `row` as it was added.
    private func shreddedRow(_ row: Int, layoutKey: [UInt8]) -> ShreddedRecord {
        var text: [UInt8] = []
        func append(_ s: String) -> Range<Int> {
            let start = text.count
            text.append(contentsOf: s.utf8)
            return start..<text.count
        }
        let category = append(strings[categoryOfRow[row]])
        let resource = append(strings[resourceOfRow[row]])
        var rowSlots: [ShreddedRecord.Slot] = []
        var slot = Int(slotStart[row])
        for column in layoutSlotColumns[Int(layoutOfRow[row])] {
            let value = slots[slot]
            slot += 1
            if FieldSchema.columns[column].type == .integer {
                let v = integer(inSlot: value)
                rowSlots.append(.init(column: Int32(column), length: -1, payload: v))
            } else {
                let s = Self.isIdentifier(column) ? arenaString(at: Int(value)) : strings[value]
                let range = append(s)
                rowSlots.append(.init(column: Int32(column), length: Int32(range.count), payload: Int64(range.lowerBound)))
            }
        }
        let residual = residualOfRow[row] == Self.none ? nil : Array(strings[residualOfRow[row]].utf8)
        return ShreddedRecord(layoutKey: layoutKey, slots: rowSlots, text: text, residual: residual,
                              time: Timestamp(ticks: ticks[row]), category: category, resourceId: resource)
    }

    /// The column values of the given rows, in that order. With `stringsAsIDs` (for the
    /// encoder), the interned strings are given as their ids only (`BlockColumns.stringIDs`).
    package func columns(of rows: ArraySlice<Int>, stringsAsIDs: Bool = false) -> BlockColumns {
        var block = BlockColumns()
        block.layoutMasks = layoutMasks
        block.times = rows.map { ticks[$0] }
        block.layoutIDs = rows.map { Int64(layoutOfRow[$0]) }
        // Ids only when they tell strings apart exactly (see `ByteInterner.stringsAreExact`).
        let asIDs = stringsAsIDs && strings.stringsAreExact
        let columnCount = FieldSchema.columns.count
        // Each column's value count, from the number of rows of each layout: the slots are then
        // copied straight to their column's place in one array (an append a value to an array of
        // arrays was most of this function's time), and turned into values column by column.
        var rowsOfLayout = [Int](repeating: 0, count: layoutSlotColumns.count)
        for row in rows { rowsOfLayout[Int(layoutOfRow[row])] += 1 }
        var counts = [Int](repeating: 0, count: columnCount)
        for (layout, n) in rowsOfLayout.enumerated() where n > 0 {
            for column in layoutSlotColumns[layout] { counts[column] += n }
        }
        var starts = [Int](repeating: 0, count: columnCount + 1)
        for column in 0..<columnCount { starts[column + 1] = starts[column] + counts[column] }
        var residualIDs: [UInt32] = []
        var slotValues = [UInt32](repeating: 0, count: starts[columnCount])
        slotValues.withUnsafeMutableBufferPointer { out in
            slots.withUnsafeBufferPointer { slots in
                var next = Array(starts[..<columnCount])
                for row in rows {
                    let layout = Int(layoutOfRow[row])
                    if layoutHasResidual[layout] { residualIDs.append(residualOfRow[row]) }
                    var slot = Int(slotStart[row])
                    for column in layoutSlotColumns[layout] {
                        out[next[column]] = slots[slot]
                        next[column] += 1
                        slot += 1
                    }
                }
            }
        }
        // Identifiers as UTF-8 for the encoder (`stringsAsIDs`), no `String` a value; else in `strings`.
        var stringIDs = [[UInt32]](repeating: [], count: columnCount)
        stringIDs[FieldSchema.category] = rows.map { categoryOfRow[$0] }
        stringIDs[FieldSchema.resourceId] = rows.map { resourceOfRow[$0] }
        arena.bytes.withUnsafeBufferPointer { arenaBytes in
            for column in 0..<columnCount where counts[column] > 0 {
                let values = slotValues[starts[column]..<starts[column + 1]]
                if FieldSchema.columns[column].type == .integer {
                    block.integers[column] = values.map { integer(inSlot: $0) }
                } else if Self.isIdentifier(column) {
                    if stringsAsIDs {
                        var text = TextColumn()
                        text.reserve(values: values.count, bytes: values.reduce(0) { $0 + Self.arenaValue(in: arenaBytes, at: Int($1)).count })
                        for offset in values { text.append(Self.arenaValue(in: arenaBytes, at: Int(offset))) }
                        block.identifiers[column] = text
                    } else {
                        block.strings[column] = values.map { arenaString(at: Int($0)) }
                    }
                } else {
                    stringIDs[column].append(contentsOf: values)
                }
            }
        }
        for column in 0..<columnCount {
            let always = FieldSchema.isEffective(column)
            guard always || !stringIDs[column].isEmpty else { continue }
            if asIDs {
                block.stringIDs[column] = stringIDs[column]
            } else {
                block.strings[column] = stringIDs[column].map { strings[$0] }
            }
        }
        if asIDs {
            if !residualIDs.isEmpty { block.stringIDs[FieldSchema.residual] = residualIDs }
            block.segmentStrings = strings.strings
        } else {
            block.residuals = residualIDs.map { strings[$0] }
        }
        return block
    }
}
