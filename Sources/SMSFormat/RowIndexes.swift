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

    /// The row index of `column`: every row has a category and a resource ID, the other
    /// columns are in the rows whose layout mask has them.
    package mutating func of(_ column: Int) -> [Int32] {
        if let known = cache[column] { return known }
        let always = column == FieldSchema.category || column == FieldSchema.resourceId
        let bit: UInt64 = 1 << UInt64(column)
        var next: Int32 = 0
        let index = masks.map { mask -> Int32 in
            guard always || mask & bit != 0 else { return -1 }
            defer { next += 1 }
            return next
        }
        cache[column] = index
        return index
    }
}
