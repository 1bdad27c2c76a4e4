import SMSSupport

/// Integers by frame of reference: the minimum as a zigzag varint, a bit width
/// byte, then each value minus the minimum in that many bits, least significant
/// bit first. Small ranges (lengths, attempts, ids) take a few bits a value.
package enum BitPackedEncoding {
    /// Wider ranges are left to the varint encodings.
    package static let maximumWidth = 56

    /// The packed form, or `nil` when the values span more than `maximumWidth` bits.
    package static func encode(_ values: [Int64]) -> [UInt8]? {
        let minimum = values.min() ?? 0
        let range = UInt64(bitPattern: (values.max() ?? 0) &- minimum)
        let width = 64 - range.leadingZeroBitCount
        guard width <= maximumWidth else { return nil }
        var w = ByteWriter(capacity: (values.count * width + 7) / 8 + 11)
        w.signedVarint(minimum)
        w.byte(UInt8(width))
        var accumulator: UInt64 = 0
        var filled = 0
        for v in values {
            accumulator |= UInt64(bitPattern: v &- minimum) << UInt64(filled)
            filled += width
            while filled >= 8 {
                w.byte(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                filled -= 8
            }
        }
        if filled > 0 { w.byte(UInt8(truncatingIfNeeded: accumulator)) }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], count: Int, context: String) throws(FormatError) -> [Int64] {
        var r = ByteReader(bytes, context: context)
        let minimum = try r.signedVarint()
        let width = Int(try r.byte())
        guard width <= maximumWidth else { throw r.damaged("bit width \(width) over \(maximumWidth)") }
        let needed = (count * width + 7) / 8
        guard r.remaining == needed else { throw r.damaged("\(r.remaining) packed bytes, expected \(needed)") }
        var values = [Int64]()
        values.reserveCapacity(count)
        var position = r.offset
        var accumulator: UInt64 = 0
        var filled = 0
        let mask: UInt64 = width == 0 ? 0 : (1 << UInt64(width)) - 1
        for _ in 0..<count {
            while filled < width {
                accumulator |= UInt64(bytes[position]) << UInt64(filled)
                position += 1
                filled += 8
            }
            values.append(minimum &+ Int64(bitPattern: accumulator & mask))
            accumulator >>= UInt64(width)
            filled -= width
        }
        return values
    }
}
