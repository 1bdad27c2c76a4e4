import SMSRecords

/// Per column of a block, each row's position among the column's values (-1: the row
/// has none). Several encoders need the same columns' (links, linked strings, the
/// combined chunk), so each is computed once, when first asked for.
package struct RowIndexes {
    /// Per row, its layout's column mask.
    private let masks: [UInt64]
    private var cache: [Int: [Int32]] = [:]

    package init(_ block: BlockColumns) {
        masks = block.layoutIDs.map { block.layoutMasks[Int($0)] }
    }

    /// The row index of `column` (see `index(_:rowMasks:)`), computed once.
    package mutating func of(_ column: Int) -> [Int32] {
        if let known = cache[column] { return known }
        let index = Self.index(column, rowMasks: masks)
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
