/// Appends the archive's primitive encodings to a byte buffer: unsigned LEB128
/// varints, zigzag varints for signed values, and little-endian fixed-width integers.
@usableFromInline package struct ByteWriter: Sendable {
    // Inlinable: the encoders of every layer above call these once per value.
    @usableFromInline package var bytes: [UInt8] = []

    @inlinable package init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    @inlinable package var count: Int { bytes.count }
    /// Bytes allocated.
    @inlinable package var capacity: Int { bytes.capacity }

    @inlinable package mutating func varint(_ value: UInt64) {
        // Most varints (lengths, column numbers) are one byte.
        if value < 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value))
            return
        }
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    @inlinable package mutating func varint(_ value: Int) {
        precondition(value >= 0, "varint of a negative value")
        varint(UInt64(value))
    }

    /// Zigzag: 0, -1, 1, -2, … map to 0, 1, 2, 3, … so small magnitudes stay short.
    @inlinable package mutating func signedVarint(_ value: Int64) {
        varint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inlinable package mutating func uint32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable package mutating func uint64(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    @inlinable package mutating func byte(_ value: UInt8) { bytes.append(value) }

    @inlinable package mutating func raw<C: Collection>(_ data: C) where C.Element == UInt8 { bytes.append(contentsOf: data) }

    /// A varint length followed by the bytes.
    @inlinable package mutating func lengthPrefixed<C: Collection>(_ data: C) where C.Element == UInt8 {
        varint(data.count)
        bytes.append(contentsOf: data)
    }

    /// A varint length followed by the UTF-8 bytes (copied from the string's storage, not
    /// through an array: the encoders write every value of a plain column this way).
    @inlinable package mutating func string(_ s: String) {
        withUTF8(s) { lengthPrefixed($0) }
    }
}

extension ByteWriter {
    /// Where the value that `lengthPrefixed` wrote at `offset` of `bytes` is, after its varint
    /// length. For bytes written in this process (an arena of values), so nothing is checked.
    @inlinable package static func prefixedValue(in bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> Range<Int> {
        var length = 0, shift = 0, i = offset
        while true {
            let b = bytes[i]
            i += 1
            length |= Int(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return i..<i + length
    }
}
