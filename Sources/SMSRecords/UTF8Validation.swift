/// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates,
/// nothing above U+10FFFF.
///
/// - Returns: the offset of the first byte that starts an invalid sequence, or `nil` when all is valid.
package func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
    let count = bytes.count
    guard count > 0 else { return nil }
    let p = bytes.baseAddress!.assumingMemoryBound(to: UInt8.self)
    var i = 0
    while i < count {
        // ASCII fast path, eight bytes at a time.
        while i + 8 <= count {
            let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        guard i < count else { return nil }
        let b0 = p[i]
        if b0 < 0x80 { i += 1; continue }
        let length: Int
        var lowerBound: UInt8 = 0x80, upperBound: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lowerBound = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upperBound = 0x9F
        case 0xF0: length = 4; lowerBound = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upperBound = 0x8F
        default: return i
        }
        guard i + length <= count else { return i }
        let b1 = p[i + 1]
        guard b1 >= lowerBound, b1 <= upperBound else { return i }
        for k in 2..<max(2, length) where p[i + k] & 0xC0 != 0x80 { return i }
        i += length
    }
    return nil
}
