/// Strict UTF-8 validation (RFC 3629): no overlong forms, no surrogates,
/// nothing above U+10FFFF.
///
/// - Returns: the offset of the first byte that starts an invalid sequence, or `nil` when all is valid.
package func firstInvalidUTF8(_ bytes: UnsafeRawBufferPointer) -> Int? {
    let count = bytes.count
    guard count > 0 else { return nil }
    let p = UnsafeBufferPointer(start: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count)
    var i = 0
    while i < count {
        // ASCII fast path: 32 bytes a step (one test of four words or'ed), then 8.
        while i + 32 <= count {
            let at = UnsafeRawPointer(p.baseAddress! + i)
            let any = at.loadUnaligned(as: UInt64.self) | at.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
                | at.loadUnaligned(fromByteOffset: 16, as: UInt64.self) | at.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            if any & 0x8080_8080_8080_8080 != 0 { break }
            i += 32
        }
        while i + 8 <= count {
            let word = UnsafeRawPointer(p.baseAddress! + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 != 0 { break }
            i += 8
        }
        guard i < count else { return nil }
        if p[i] < 0x80 { i += 1; continue }
        let length = utf8SequenceLength(p, at: i)
        guard length > 0 else { return i }
        i += length
    }
    return nil
}

/// The length of the valid multi-byte UTF-8 sequence starting at `i` (whose byte is 0x80 or more),
/// or 0 when no valid sequence starts there (a continuation byte, an overlong form, a surrogate,
/// above U+10FFFF, or cut short by the end of `p`).
@inline(__always)
package func utf8SequenceLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
    let b0 = p[i]
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
    default: return 0
    }
    guard i + length <= p.count else { return 0 }
    let b1 = p[i + 1]
    guard b1 >= lowerBound, b1 <= upperBound else { return 0 }
    for k in 2..<max(2, length) where p[i + k] & 0xC0 != 0x80 { return 0 }
    return length
}
