/// Reads what `ByteWriter` wrote, checking every bound: damaged input yields a
/// `FormatError`, never a crash.
package struct ByteReader {
    // Inlinable: the decoders of every layer above call these once per value.
    @usableFromInline package let bytes: [UInt8]
    package var offset: Int
    @usableFromInline let end: Int
    /// Names the structure being read, for error messages.
    package let context: String

    @inlinable package init(_ bytes: [UInt8], context: String, range: Range<Int>? = nil) {
        self.bytes = bytes
        self.offset = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
        self.context = context
    }

    @inlinable package var isAtEnd: Bool { offset >= end }
    @inlinable package var remaining: Int { end - offset }

    @inlinable package func damaged(_ what: String) -> FormatError {
        FormatError.damaged("\(context): \(what) at byte \(offset)")
    }

    @inlinable package mutating func varint() throws(FormatError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            guard offset < end else { throw damaged("varint runs past the end") }
            let b = bytes[offset]
            offset += 1
            guard shift < 64, shift < 63 || b <= 1 else { throw damaged("varint longer than 64 bits") }
            result |= UInt64(b & 0x7F) << shift
            if b < 0x80 { return result }
            shift += 7
        }
    }

    /// A varint that must fit `limit` (a count or a length), as an `Int`.
    @inlinable package mutating func count(limit: Int = Int(Int32.max)) throws(FormatError) -> Int {
        let v = try varint()
        guard v <= UInt64(limit) else { throw damaged("count \(v) exceeds \(limit)") }
        return Int(v)
    }

    @inlinable package mutating func signedVarint() throws(FormatError) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    @inlinable package mutating func byte() throws(FormatError) -> UInt8 {
        guard offset < end else { throw damaged("unexpected end") }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inlinable package mutating func uint32() throws(FormatError) -> UInt32 {
        guard remaining >= 4 else { throw damaged("unexpected end") }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * k) }
        offset += 4
        return v
    }

    @inlinable package mutating func uint64() throws(FormatError) -> UInt64 {
        guard remaining >= 8 else { throw damaged("unexpected end") }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * k) }
        offset += 8
        return v
    }

    @inlinable package mutating func raw(_ n: Int) throws(FormatError) -> ArraySlice<UInt8> {
        guard n >= 0, remaining >= n else { throw damaged("length \(n) runs past the end") }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    @inlinable package mutating func lengthPrefixed() throws(FormatError) -> ArraySlice<UInt8> {
        let n = try count()
        return try raw(n)
    }

    /// The byte range of a varint-length-prefixed run, skipped over.
    @inlinable package mutating func rangePrefixed() throws(FormatError) -> Range<Int> {
        let n = try count()
        guard n <= remaining else { throw damaged("length \(n) runs past the end") }
        defer { offset += n }
        return offset..<offset + n
    }

    @inlinable package mutating func string() throws(FormatError) -> String {
        let slice = try lengthPrefixed()
        guard let s = String(validating: slice, as: UTF8.self) else { throw damaged("string is not UTF-8") }
        return s
    }
}
