import SMSRecords

/// Finds where a JSON string ends, eight bytes a step, validating its UTF-8 on the way: the
/// structural scan of `LineShredder` spends most of its time inside strings (resource IDs, URIs,
/// message IDs), and every byte of a line it takes is inside a string or a short ASCII token, so
/// this check replaces a separate UTF-8 pass over the line.
enum JSONStringScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of each byte of `word` (little-endian) that is a quote, a backslash, a control
    /// character or not ASCII; only the lowest set bit is exact (a borrow may mark bytes above it).
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let quotes = word ^ (0x22 &* ones), backslashes = word ^ (0x5C &* ones)
        let quote = (quotes &- ones) & ~quotes
        let backslash = (backslashes &- ones) & ~backslashes
        let control = (word &- 0x20 &* ones) & ~word
        return (quote | backslash | control | word) & highs
    }

    /// The offset of the closing quote of a string whose text starts at `start`; nil at an escape,
    /// a control character, invalid UTF-8 (the general way handles those) or the end of `p`.
    @inline(__always)
    static func end(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard let base = p.baseAddress else { return nil }
        let count = p.count
        var i = start
        while true {
            if i + 8 <= count {
                let special = specialBytes(UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)))
                if special == 0 { i += 8; continue }
                i += special.trailingZeroBitCount >> 3
            }
            // `i` is at a special byte, or in the last seven bytes of the line.
            guard i < count else { return nil }
            let b = base[i]
            if b == UInt8(ascii: "\"") { return i }
            if b == UInt8(ascii: "\\") || b < 0x20 { return nil }
            if b < 0x80 { i += 1; continue }
            let length = utf8SequenceLength(p, at: i)
            guard length > 0 else { return nil }
            i += length
        }
    }
}
