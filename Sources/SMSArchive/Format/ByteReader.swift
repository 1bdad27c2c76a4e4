/// Reads what `ByteWriter` wrote, checking every bound: damaged input yields a
/// `FormatError`, never a crash.
public struct ByteReader {
    public let bytes: [UInt8]
    public private(set) var offset: Int
    private let end: Int
    /// Names the structure being read, for error messages.
    let context: String

    public init(_ bytes: [UInt8], context: String, range: Range<Int>? = nil) {
        self.bytes = bytes
        self.offset = range?.lowerBound ?? 0
        self.end = range?.upperBound ?? bytes.count
        self.context = context
    }

    public var isAtEnd: Bool { offset >= end }
    public var remaining: Int { end - offset }

    func damaged(_ what: String) -> FormatError {
        FormatError.damaged("\(context): \(what) at byte \(offset)")
    }

    public mutating func varint() throws(FormatError) -> UInt64 {
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
    public mutating func count(limit: Int = Int(Int32.max)) throws(FormatError) -> Int {
        let v = try varint()
        guard v <= UInt64(limit) else { throw damaged("count \(v) exceeds \(limit)") }
        return Int(v)
    }

    public mutating func signedVarint() throws(FormatError) -> Int64 {
        let v = try varint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    public mutating func byte() throws(FormatError) -> UInt8 {
        guard offset < end else { throw damaged("unexpected end") }
        defer { offset += 1 }
        return bytes[offset]
    }

    public mutating func uint32() throws(FormatError) -> UInt32 {
        guard remaining >= 4 else { throw damaged("unexpected end") }
        var v: UInt32 = 0
        for k in 0..<4 { v |= UInt32(bytes[offset + k]) << (8 * k) }
        offset += 4
        return v
    }

    public mutating func uint64() throws(FormatError) -> UInt64 {
        guard remaining >= 8 else { throw damaged("unexpected end") }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * k) }
        offset += 8
        return v
    }

    public mutating func raw(_ n: Int) throws(FormatError) -> ArraySlice<UInt8> {
        guard n >= 0, remaining >= n else { throw damaged("length \(n) runs past the end") }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    public mutating func lengthPrefixed() throws(FormatError) -> ArraySlice<UInt8> {
        let n = try count()
        return try raw(n)
    }

    /// The byte range of a varint-length-prefixed run, skipped over.
    public mutating func rangePrefixed() throws(FormatError) -> Range<Int> {
        let n = try count()
        guard n <= remaining else { throw damaged("length \(n) runs past the end") }
        defer { offset += n }
        return offset..<offset + n
    }

    public mutating func string() throws(FormatError) -> String {
        let slice = try lengthPrefixed()
        guard let s = String(validating: slice, as: UTF8.self) else { throw damaged("string is not UTF-8") }
        return s
    }
}

/// A problem with an archive's bytes or files.
public enum FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes contradict the format: truncated, bit-flipped, or not an archive.
    case damaged(String)
    /// Written by a newer version of smsarchive.
    case unsupportedVersion(String)

    public var description: String {
        switch self {
        case .damaged(let s): return "damaged archive: \(s)"
        case .unsupportedVersion(let s): return "unsupported format: \(s)"
        }
    }
}
