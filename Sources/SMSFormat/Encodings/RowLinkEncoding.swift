import SMSSupport

/// The row links of a version-5 block (see `RowLinks`), stored once in their own chunk so that a
/// linked column (`linkedStrings`, or an identifier's kind 7) decodes without any other column's
/// values: only the layout column, which orders the rows here.
///
/// Rows are taken layout by layout (layouts in order of first appearance, rows of a layout in
/// their order): a send's layout has no links, and a usage record's or a delivery report's
/// links are short, so each run compresses to next to nothing. Per row a varint: 0 when the row
/// has no link, else `row - linked row` (the link is always an earlier row).
package enum RowLinkEncoding {
    /// The chunk's encoding byte.
    package static let encodingID: UInt8 = 0

    /// `links[row]`: the earlier row linked to, or -1; `layoutIDs`: each row's layout.
    package static func encode(_ links: [Int32], layoutIDs: [Int64]) -> [UInt8] {
        var w = ByteWriter(capacity: links.count + 16)
        for row in layoutOrder(layoutIDs) {
            let link = links[Int(row)]
            w.varint(link >= 0 ? Int(row - link) : 0)
        }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], layoutIDs: [Int64], context: String) throws(FormatError) -> [Int32] {
        var r = ByteReader(bytes, context: context)
        var links = [Int32](repeating: -1, count: layoutIDs.count)
        for row in layoutOrder(layoutIDs) {
            let distance = try r.count(limit: Int(row))
            if distance > 0 { links[Int(row)] = row - Int32(distance) }
        }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last row") }
        return links
    }

    /// The rows layout by layout, layouts in order of first appearance (layout ids are small:
    /// indexes into the segment's layout list, checked by the caller).
    package static func layoutOrder(_ layoutIDs: [Int64]) -> [Int32] {
        guard let largest = layoutIDs.max() else { return [] }
        var rank = [Int32](repeating: -1, count: Int(largest) + 1)
        var sizes: [Int32] = []
        for id in layoutIDs where rank[Int(id)] < 0 {
            rank[Int(id)] = Int32(sizes.count)
            sizes.append(0)
        }
        for id in layoutIDs { sizes[Int(rank[Int(id)])] += 1 }
        var starts = [Int32](repeating: 0, count: sizes.count)
        for g in sizes.indices.dropFirst() { starts[g] = starts[g - 1] + sizes[g - 1] }
        var order = [Int32](repeating: 0, count: layoutIDs.count)
        for (row, id) in layoutIDs.enumerated() {
            let g = Int(rank[Int(id)])
            order[Int(starts[g])] = Int32(row)
            starts[g] += 1
        }
        return order
    }
}
