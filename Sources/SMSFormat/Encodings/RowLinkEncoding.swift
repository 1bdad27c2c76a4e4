import SMSSupport

/// The row links of a version-5 block (see `RowLinks`), stored once in their own chunk so that a
/// linked column (`linkedStrings`, or an identifier's kind 7) decodes without any other column.
///
/// Per row, in row order, a varint: 0 when the row has no link, else `row - linked row` (the link
/// is always an earlier row). (Taking the rows layout by layout compressed no better: a send and
/// its delivery report share a layout.)
package enum RowLinkEncoding {
    /// The chunk's encoding byte.
    package static let encodingID: UInt8 = 0

    /// `links[row]`: the earlier row linked to, or -1.
    package static func encode(_ links: [Int32]) -> [UInt8] {
        var w = ByteWriter(capacity: links.count + 16)
        for (row, link) in links.enumerated() { w.varint(link >= 0 ? row - Int(link) : 0) }
        return w.bytes
    }

    /// Each of the `rowCount` rows' linked row, or -1.
    package static func decode(_ bytes: [UInt8], rowCount: Int, context: String) throws(FormatError) -> [Int32] {
        var links = [Int32](repeating: -1, count: rowCount)
        var at = 0
        for row in 0..<rowCount {
            guard at < bytes.count else { throw .damaged("\(context): \(row) distances for \(rowCount) rows") }
            guard bytes[at] != 0 else { at += 1; continue }
            guard let value = inlineVarint(bytes, at: &at) else { throw .damaged("\(context): a distance is cut or too long at byte \(at)") }
            guard value > 0, value <= UInt64(row) else { throw .damaged("\(context): row \(row) linked \(value) rows back") }
            links[row] = Int32(row) - Int32(value)
        }
        guard at == bytes.count else { throw .damaged("\(context): \(bytes.count - at) bytes after the last row") }
        return links
    }
}
