/// Collects records for one segment in a compact, column-ready form: each
/// record is taken apart once (layout, values, residual), repeated strings are
/// held once, and rows are sorted by time only when the segment is written.
final class SegmentBuilder {
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
    /// Slot values of all rows: interned string ids or integers.
    /// 32 bits a value: interned ids, arena offsets, and integers in 0..<2^31; other
    /// integers are kept in `wideIntegers` and their slot is 2^31 + their index there.
    private var slots: [UInt32] = []
    private var wideIntegers: [Int64] = []
    private static let wideFlag: UInt32 = 0x8000_0000
    private var slotStart: [Int32] = [0]

    var count: Int { ticks.count }

    /// The distinct effective categories of the records, sorted ("" when unknown).
    var categories: [String] { Set(categoryOfRow).map { strings[$0] }.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) } }

    /// The memory held (allocated capacities, not just what is used), to bound a segment's size.
    var estimatedBytes: Int {
        strings.byteCount + layoutIDs.byteCount + arena.capacity + slots.capacity * 4 + wideIntegers.capacity * 8 + slotStart.capacity * 4
            + ticks.capacity * 8 + (layoutOfRow.capacity + categoryOfRow.capacity + resourceOfRow.capacity + residualOfRow.capacity) * 4
            + layouts.count * 512
    }

    private static let none: UInt32 = .max

    func add(_ record: Record) {
        add(RecordShredder.shred(record))
    }

    /// Adds a record already taken apart (on another thread).
    func add(_ shredded: ShreddedRecord) {
        let layoutID = Int(layoutIDs.id(shredded.layoutKey))
        if layoutID == layouts.count {
            let layout = shredded.layout
            layouts.append(layout)
            layoutSlotColumns.append(shredded.slots.map { Int($0.column) })
            layoutHasResidual.append(layout.tokens.contains(.residual))
            layoutMasks.append(RenderedLayout(layout).columnMask)
        }
        ticks.append(shredded.time.ticks)
        layoutOfRow.append(Int32(layoutID))
        shredded.text.withUnsafeBufferPointer { text in
            func id(_ range: Range<Int>?) -> UInt32 {
                strings.id(UnsafeBufferPointer(rebasing: text[range ?? 0..<0]))
            }
            categoryOfRow.append(id(shredded.category))
            resourceOfRow.append(id(shredded.resourceId))
            for slot in shredded.slots {
                if slot.isInteger {
                    let v = slot.payload
                    if v >= 0 && v < Int64(Self.wideFlag) {
                        slots.append(UInt32(v))
                    } else {
                        slots.append(Self.wideFlag | UInt32(wideIntegers.count))
                        wideIntegers.append(v)
                    }
                    continue
                }
                let value = UnsafeBufferPointer(rebasing: text[Int(slot.payload)..<Int(slot.payload) + Int(slot.length)])
                if BlockEncoder.identifierColumnMask & (1 << UInt64(slot.column)) != 0 {
                    slots.append(UInt32(arena.count))
                    arena.lengthPrefixed(value)
                } else {
                    slots.append(strings.id(value))
                }
            }
        }
        residualOfRow.append(shredded.residual.map { strings.id($0) } ?? Self.none)
        slotStart.append(Int32(slots.count))
    }

    private func arenaString(at offset: Int) -> String {
        arena.bytes.withUnsafeBufferPointer { buffer in
            var length = 0, shift = 0, i = offset
            while true {
                let b = buffer[i]
                i += 1
                length |= Int(b & 0x7F) << shift
                if b < 0x80 { break }
                shift += 7
            }
            return String(decoding: UnsafeBufferPointer(rebasing: buffer[i..<i + length]), as: UTF8.self)
        }
    }

    /// Row indices in time order (ties keep arrival order).
    func sortedOrder() -> [Int] {
        ticks.indices.sorted { ticks[$0] != ticks[$1] ? ticks[$0] < ticks[$1] : $0 < $1 }
    }

    /// The column values of the given rows, in that order.
    func columns(of rows: ArraySlice<Int>) -> BlockColumns {
        var block = BlockColumns()
        block.layoutMasks = layoutMasks
        block.times = rows.map { ticks[$0] }
        block.layoutIDs = rows.map { Int64(layoutOfRow[$0]) }
        block.strings[FieldSchema.category] = rows.map { strings[categoryOfRow[$0]] }
        block.strings[FieldSchema.resourceId] = rows.map { strings[resourceOfRow[$0]] }
        for row in rows {
            let layout = Int(layoutOfRow[row])
            if layoutHasResidual[layout] { block.residuals.append(strings[residualOfRow[row]]) }
            var slot = Int(slotStart[row])
            for column in layoutSlotColumns[layout] {
                let value = slots[slot]
                slot += 1
                if FieldSchema.columns[column].type == .integer {
                    block.integers[column, default: []].append(
                        value & Self.wideFlag == 0 ? Int64(value) : wideIntegers[Int(value & ~Self.wideFlag)])
                } else {
                    block.strings[column, default: []].append(
                        BlockEncoder.identifierColumnMask & (1 << UInt64(column)) != 0 ? arenaString(at: Int(value)) : strings[value])
                }
            }
        }
        return block
    }
}

/// The values of one block, column by column: what an encoder writes and a
/// decoder gives back (before dictionaries and ids).
struct BlockColumns {
    var times: [Int64] = []
    /// Ids into the segment's layout list.
    var layoutIDs: [Int64] = []
    /// String columns by column id; category and resource ID have a value per row ("" for unknown),
    /// the others one per row whose layout has them.
    var strings: [Int: [String]] = [:]
    var integers: [Int: [Int64]] = [:]
    /// One per row whose layout has residual tokens.
    var residuals: [String] = []
    /// Per layout id, bit c set when its rows have a value in column c.
    var layoutMasks: [UInt64] = []

    /// Whether `row` has a value in `column`.
    func has(_ column: Int, row: Int) -> Bool {
        column == FieldSchema.category || column == FieldSchema.resourceId
            || layoutMasks[Int(layoutIDs[row])] & (1 << UInt64(column)) != 0
    }
}
