import SMSSupport
import SMSRecords

/// Links between the rows of a block: a usage record repeats its send's
/// correlationId, a delivery report its send's MessageId, and both repeat the
/// send's PhoneNumber and Country. A row's link is the earlier row whose
/// identifier it repeats, as the identifier chunks already store it (kind 1),
/// so knowing it costs nothing; `LinkedStringEncoding` stores "same as the
/// linked row" in a bit instead of the value.
///
/// A row's link: the row of the correlationId value its correlationId repeats;
/// else the row of the MessageId value its MessageId repeats; else none. Only
/// chunks in the `identifiers` and `rowIdentifiers` encodings have repeats.
package enum RowLinks {
    /// The columns links come from, in order of precedence.
    package static let sourceColumns: [Int] = [FieldSchema.column(named: "correlationId")!, FieldSchema.column(named: "MessageId")!]

    /// For each value of a column, its row, given the column's row index (`RecordBatch.rowIndex`).
    package static func valueRows(_ rowIndex: [Int32]) -> [Int32] {
        var rows: [Int32] = []
        for (row, i) in rowIndex.enumerated() where i >= 0 { rows.append(Int32(row)) }
        return rows
    }

    /// Each row's linked row, or -1. `sources` are the link columns in order of
    /// precedence, each with its row index and, per value, the index of the earlier
    /// value it repeats or -1 (nil: the column has no repeats in this block).
    package static func rows(rowCount: Int, sources: [(rowIndex: [Int32], repeatOf: [Int32]?)], context: String) throws(FormatError) -> [Int32] {
        var links = [Int32](repeating: -1, count: rowCount)
        for (rowIndex, repeatOf) in sources.reversed() {
            guard let repeatOf else { continue }
            let rowOfValue = valueRows(rowIndex)
            guard rowOfValue.count == repeatOf.count else {
                throw .damaged("\(context): \(repeatOf.count) identifiers for \(rowOfValue.count) rows")
            }
            // Later sources first, so the earlier ones take precedence.
            for (value, target) in repeatOf.enumerated() where target >= 0 {
                links[Int(rowOfValue[value])] = rowOfValue[Int(target)]
            }
        }
        return links
    }

    /// For each value of a column (row index `rowIndex`), the index of the value of its
    /// row's linked row, or -1 when the row has no link or that row has no value here.
    /// Always smaller than the value's own index: links point back.
    package static func values(rowLinks: [Int32], rowIndex: [Int32]) -> [Int32] {
        // (Capacity 0 would write the count of the shared empty array, a race between threads.)
        guard !rowIndex.isEmpty else { return [] }
        return [Int32](unsafeUninitializedCapacity: rowIndex.count) { result, made in
            var k = 0
            for row in rowIndex.indices where rowIndex[row] >= 0 {
                let link = rowLinks[row]
                result[k] = link >= 0 ? rowIndex[Int(link)] : -1
                k += 1
            }
            made = k
        }
    }
}
