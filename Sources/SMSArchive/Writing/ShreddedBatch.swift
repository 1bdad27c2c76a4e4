import SMSFormat
import SMSRecords
import SMSSupport

/// Records taken apart on a reading thread, stored flat for the collecting thread.
///
/// One `ShreddedRecord` is four arrays, allocated on one thread and freed on another; a batch is a
/// few arrays for a thousand records. Its repeated values (layouts, categories, resource IDs, string
/// values, residuals) are held once, each with its hash, so the collecting thread looks each up in
/// its segment once per batch (see `SegmentBuilder.add(_:row:batchNumber:)`), not once per value.
package struct ShreddedBatch {
    /// The distinct layout keys (`RecordLayout.encoded()`).
    private(set) var layouts = HashedByteTable()
    /// Per layout here, the columns of its slots in order.
    private(set) var layoutSlotColumns: [[Int32]] = []
    /// The distinct category, resource ID, string value (but identifiers) and residual texts.
    private(set) var strings = HashedByteTable()
    /// Residuals longer than `largeValue`, shared with the records they came from, not copied: a
    /// string id of `largeID + i` is `large[i]`. Such a value seldom repeats.
    private(set) var large: [[UInt8]] = []
    /// Identifier values (nearly all distinct, not worth a lookup), each a varint length and its
    /// bytes, as `SegmentBuilder` keeps them.
    private(set) var identifiers = ByteWriter()

    private(set) var ticks: [Int64] = []
    private(set) var layoutOfRow: [UInt32] = []
    private(set) var categoryOfRow: [UInt32] = []
    private(set) var resourceOfRow: [UInt32] = []
    /// `noResidual` when the row has none.
    private(set) var residualOfRow: [UInt32] = []
    /// Bytes of each row's text and residual, by which blocks are cut.
    private(set) var textBytesOfRow: [Int32] = []
    /// Per column, the id of its value in the record before, or `noValue`: most columns repeat
    /// their value from one record to the next, and comparing it costs less than hashing.
    private var lastInColumn = [UInt32](repeating: ShreddedBatch.noValue, count: FieldSchema.columns.count)

    /// Slot values of all rows, by the slot's column type: an integer itself; for a string
    /// column, the value's id in `strings`, or for an identifier column its offset in `identifiers`.
    private(set) var slots: [Int64] = []
    /// Row r's slots are `slots[slotStart[r]..<slotStart[r + 1]]`.
    private(set) var slotStart: [Int32] = [0]

    package static let noResidual = UInt32.max
    /// No value met yet (in `lastInColumn`).
    private static let noValue = UInt32.max
    /// String ids from here on are of `large` values.
    package static let largeID: UInt32 = 1 << 31
    /// Longer residuals are kept in `large`.
    private static let largeValue = 1 << 16

    package init() {}

    /// Records in the batch.
    package var count: Int { ticks.count }

    /// Whether the batch is big enough to send on: a thousand records keep the hand-overs between
    /// threads rare and the queue's memory small, and long lines fill a batch earlier.
    package var isFull: Bool { ticks.count >= 1024 || byteCount >= 4 << 20 }

    /// Bytes held, about.
    package var byteCount: Int {
        strings.byteCount + identifiers.count + large.reduce(0) { $0 + $1.count } + slots.count * 8 + ticks.count * 32
    }

    /// Adds a record at the end; whether the batch is then full (see `isFull`).
    package mutating func append(_ record: ShreddedRecord) -> Bool {
        // Records of a blob nearly all have the layout of the one before: comparing its key costs
        // less than hashing it (a few hundred bytes).
        let layout = record.layoutKey.withUnsafeBufferPointer { key in
            if let last = layoutOfRow.last, layouts.holds(Int(last), key) { return last }
            return layouts.id(key)
        }
        if Int(layout) == layoutSlotColumns.count { layoutSlotColumns.append(record.slots.map(\.column)) }
        layoutOfRow.append(layout)
        ticks.append(record.time.ticks)
        let identifierColumns = BlockEncoder.identifierColumnMask
        record.text.withUnsafeBufferPointer { text in
            func id(_ range: Range<Int>?, column: Int) -> UInt32 { string(UnsafeBufferPointer(rebasing: text[range ?? 0..<0]), column: column) }
            categoryOfRow.append(id(record.category, column: FieldSchema.category))
            resourceOfRow.append(id(record.resourceId, column: FieldSchema.resourceId))
            for slot in record.slots {
                if slot.isInteger {
                    slots.append(slot.payload)
                    continue
                }
                let value = UnsafeBufferPointer(rebasing: text[Int(slot.payload)..<Int(slot.payload) + Int(slot.length)])
                if identifierColumns & (1 << UInt64(slot.column)) != 0 {
                    slots.append(Int64(identifiers.count))
                    identifiers.lengthPrefixed(value)
                } else {
                    slots.append(Int64(string(value, column: Int(slot.column))))
                }
            }
        }
        if let residual = record.residual, residual.count > Self.largeValue {
            residualOfRow.append(Self.largeID + UInt32(large.count))
            large.append(residual)
        } else {
            residualOfRow.append(record.residual.map { residual in residual.withUnsafeBufferPointer { string($0, column: FieldSchema.residual) } } ?? Self.noResidual)
        }
        textBytesOfRow.append(Int32(clamping: record.text.count + (record.residual?.count ?? 0)))
        slotStart.append(Int32(slots.count))
        return isFull
    }

    /// The id in `strings` of `value`, a value of `column`.
    @inline(__always)
    private mutating func string(_ value: UnsafeBufferPointer<UInt8>, column: Int) -> UInt32 {
        let last = lastInColumn[column]
        if last != Self.noValue, strings.holds(Int(last), value) { return last }
        let id = strings.id(value)
        lastInColumn[column] = id
        return id
    }

    /// Where the identifier at `offset` in `identifiers` is, with its varint length before it,
    /// as `ByteWriter.lengthPrefixed` wrote it.
    func identifierEntry(at offset: Int) -> Range<Int> {
        offset..<identifiers.bytes.withUnsafeBufferPointer { ByteWriter.prefixedValue(in: $0, at: offset).upperBound }
    }
}
