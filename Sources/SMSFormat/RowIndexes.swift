import SMSRecords

/// Per column of a block, each row's position among the column's values (-1: the row
/// has none). Several encoders need the same columns' (links, linked strings, the
/// combined chunk), so each is computed once, when first asked for.
package struct RowIndexes {
    /// Per row, its layout's column mask.
    private let masks: [UInt64]
    /// The distinct masks of the block's rows.
    private let blockMasks: [UInt64]
    private var cache: [Int: [Int32]] = [:]
    private var byPresence: [Presence: [Int32]] = [:]

    package init(_ block: BlockColumns) {
        masks = block.layoutIDs.map { block.layoutMasks[Int($0)] }
        var seen = Set<UInt64>()
        blockMasks = masks.filter { seen.insert($0).inserted }
    }

    /// Which rows of the block have a column's values: columns with equal presence have the same
    /// row index (a block's operation, API version, URI... are in the same layouts), which is then
    /// computed once, and so is what encoders derive from it (`RowLinks.values`).
    package struct Presence: Hashable {
        /// Every row has a value.
        var always: Bool
        /// Bit k: the block's k-th distinct layout mask has the column.
        var layouts: [UInt64]
    }

    package func presence(of column: Int) -> Presence {
        if FieldSchema.isEffective(column) { return Presence(always: true, layouts: []) }
        let bit: UInt64 = 1 << UInt64(column)
        var layouts = [UInt64](repeating: 0, count: (blockMasks.count + 63) / 64)
        for (k, mask) in blockMasks.enumerated() where mask & bit != 0 { layouts[k >> 6] |= 1 << UInt64(k & 63) }
        return Presence(always: false, layouts: layouts)
    }

    /// The row index of `column` (see `index(_:rowMasks:)`), computed once.
    package mutating func of(_ column: Int) -> [Int32] {
        if let known = cache[column] { return known }
        let presence = presence(of: column)
        let index = byPresence[presence] ?? Self.index(column, rowMasks: masks)
        byPresence[presence] = index
        cache[column] = index
        return index
    }

    /// Per row, its position among `column`'s values, or -1 when it has none: every row has a
    /// category and a resource ID, the other columns are in the rows whose mask has their bit.
    /// The one computation of it, for the encoders and for the reader's batches alike.
    /// `index(_:rowMasks:)` from each row's layout id and the layouts' masks (ids must be valid),
    /// without a list of row masks.
    package static func index(_ column: Int, layoutIDs: [Int64], layoutMasks: [UInt64]) -> [Int32] {
        if FieldSchema.isEffective(column) { return (0..<Int32(layoutIDs.count)).map { $0 } }
        let bit: UInt64 = 1 << UInt64(column)
        let has = layoutMasks.map { $0 & bit != 0 }
        var result = [Int32](repeating: -1, count: layoutIDs.count)
        var next: Int32 = 0
        for (row, id) in layoutIDs.enumerated() where has[Int(id)] {
            result[row] = next
            next += 1
        }
        return result
    }

    package static func index(_ column: Int, rowMasks: [UInt64]) -> [Int32] {
        let always = FieldSchema.isEffective(column)
        let bit: UInt64 = 1 << UInt64(column)
        var next: Int32 = 0
        return rowMasks.map { mask -> Int32 in
            guard always || mask & bit != 0 else { return -1 }
            defer { next += 1 }
            return next
        }
    }
}
