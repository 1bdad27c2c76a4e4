import SMSSupport

/// Non-decreasing integers (a block's sorted times) as Golomb–Rice codes of
/// their differences: close to the entropy of the random gaps between log
/// records, where varints waste the unused bits of each byte.
///
/// Layout: the first value as a zigzag varint, the parameter k (one byte), then a
/// bit stream, least significant bit first: per difference d, (d >> k) one-bits,
/// a zero-bit, and the low k bits of d. k is at most 56; a quotient of 2^20 or
/// more is not allowed (such values are left to the other encodings).
package enum RiceDeltaEncoding {
    /// The largest parameter: the bit reader and writer move at most 56 bits at a time.
    package static let maximumK = 56

    /// The Rice form, or nil when the values decrease somewhere.
    package static func encode(_ values: [Int64]) -> [UInt8]? {
        guard let first = values.first else { return nil }
        var deltas: [UInt64] = []
        deltas.reserveCapacity(values.count)
        var total: UInt64 = 0
        for i in 1..<values.count {
            guard values[i] >= values[i - 1] else { return nil }
            let d = UInt64(bitPattern: values[i] &- values[i - 1])
            deltas.append(d)
            total &+= d
        }
        let mean = deltas.isEmpty ? 1 : max(1, total / UInt64(deltas.count))
        let k = min(maximumK, max(0, 63 - mean.leadingZeroBitCount))   // about log2 of the mean gap
        var w = ByteWriter(capacity: values.count * (k + 2) / 8 + 16)
        w.signedVarint(first)
        w.byte(UInt8(k))
        var bits = BitWriter()
        for d in deltas {
            let q = d >> UInt64(k)
            guard q < 1 << 20 else { return nil }   // a huge gap: leave it to the varint encodings
            bits.ones(Int(q))
            bits.write(0, count: 1)
            bits.write(d & ((1 << UInt64(k)) - 1), count: k)
        }
        w.raw(bits.finish())
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], count: Int, context: String) throws(FormatError) -> [Int64] {
        guard count > 0 else {
            guard bytes.isEmpty else { throw FormatError.damaged("\(context): \(bytes.count) bytes for no values") }
            return []
        }
        var r = ByteReader(bytes, context: context)
        var value = try r.signedVarint()
        let k = Int(try r.byte())
        guard k <= maximumK else { throw r.damaged("Rice parameter \(k) over \(maximumK)") }
        // The stream is read through a 64-bit window (57 bits usable at any bit position) over a
        // zero-padded copy: a quotient's one-bits are counted at once, not a bit at a time.
        var padded = bytes
        padded.append(contentsOf: repeatElement(0, count: 8))
        let totalBits = bytes.count * 8
        var bit = r.offset * 8
        let lowMask: UInt64 = k == 0 ? 0 : (1 << UInt64(k)) - 1
        var failure: FormatError?
        let values = [Int64](unsafeUninitializedCapacity: count) { out, made in
            out[0] = value
            made = 1
            padded.withUnsafeBytes { window in
                @inline(__always) func word(_ at: Int) -> UInt64 {
                    UInt64(littleEndian: window.loadUnaligned(fromByteOffset: at >> 3, as: UInt64.self)) >> UInt64(at & 7)
                }
                for i in 1..<count {
                    var q: UInt64 = 0
                    while true {
                        // Padding is zero, so a run of ones never passes the stream's end.
                        let ones = min((~word(bit)).trailingZeroBitCount, 57)
                        q += UInt64(ones)
                        bit += ones
                        guard q < 1 << 20 else { failure = r.damaged("Rice quotient too large"); return }
                        if ones < 57 { break }
                    }
                    guard bit < totalBits else { failure = r.damaged("Rice stream ends early"); return }
                    bit += 1   // the zero that ends the quotient
                    guard bit + k <= totalBits else { failure = r.damaged("Rice stream ends early"); return }
                    let low = word(bit) & lowMask
                    bit += k
                    value = value &+ Int64(bitPattern: q << UInt64(k) | low)
                    out[i] = value
                    made = i + 1
                }
            }
        }
        if let failure { throw failure }
        let remainingBytes = bytes.count - (bit + 7) / 8
        guard remainingBytes == 0 else { throw r.damaged("\(remainingBytes) bytes after the last value") }
        return values
    }
}

/// Writes bits least significant first into bytes.
package struct BitWriter {
    private var out: [UInt8] = []
    private var accumulator: UInt64 = 0
    private var filled = 0

    package mutating func write(_ value: UInt64, count: Int) {
        var value = value, count = count
        while count > 0 {
            let take = min(count, 56 - filled)
            accumulator |= (value & ((1 << UInt64(take)) - 1)) << UInt64(filled)
            filled += take
            count -= take
            value = take == 64 ? 0 : value >> UInt64(take)
            while filled >= 8 {
                out.append(UInt8(truncatingIfNeeded: accumulator))
                accumulator >>= 8
                filled -= 8
            }
        }
    }

    package mutating func ones(_ n: Int) {
        var n = n
        while n > 0 {
            let take = min(n, 32)
            write((1 << UInt64(take)) - 1, count: take)
            n -= take
        }
    }

    package mutating func finish() -> [UInt8] {
        if filled > 0 { out.append(UInt8(truncatingIfNeeded: accumulator)) }
        accumulator = 0
        filled = 0
        return out
    }
}

/// Reads bits least significant first.
package struct BitReader {
    private let bytes: [UInt8]
    private var position: Int
    private var accumulator: UInt64 = 0
    private var filled = 0

    package init(_ bytes: [UInt8], from offset: Int) {
        self.bytes = bytes
        position = offset
    }

    /// Whole bytes not yet touched.
    package var remainingBytes: Int { bytes.count - position }

    /// Whether the bits left in the last byte read are all zero (padding).
    package var remainingBitsAreZero: Bool { accumulator == 0 }

    package mutating func read(_ count: Int) -> UInt64? {
        while filled < count {
            guard position < bytes.count else { return nil }
            accumulator |= UInt64(bytes[position]) << UInt64(filled)
            position += 1
            filled += 8
        }
        let value = count == 0 ? 0 : accumulator & ((1 << UInt64(count)) - 1)
        accumulator = count == 64 ? 0 : accumulator >> UInt64(count)
        filled -= count
        return value
    }
}
