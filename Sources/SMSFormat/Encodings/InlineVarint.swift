/// A LEB128 varint of at most five bytes (35 bits) read from `bytes` at `at`, which moves past it;
/// nil when the bytes end inside it or it runs longer. The decoders that read row links and
/// dictionary ids value by value call it inline, without a `ByteReader` per chunk.
@inline(__always)
func inlineVarint(_ bytes: [UInt8], at: inout Int) -> UInt64? {
    guard at < bytes.count else { return nil }
    var byte = bytes[at]
    at += 1
    var value = UInt64(byte & 0x7F)
    var shift: UInt64 = 7
    while byte >= 0x80 {
        guard at < bytes.count, shift < 35 else { return nil }
        byte = bytes[at]
        at += 1
        value |= UInt64(byte & 0x7F) << shift
        shift += 7
    }
    return value
}
