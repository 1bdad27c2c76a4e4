#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSSupport

/// Where `RecordLayout`'s token writers put a layout's encoded bytes.
@usableFromInline package protocol LayoutByteSink {
    mutating func byte(_ value: UInt8)
    mutating func varint(_ value: Int)
    mutating func signedVarint(_ value: Int64)
    /// A varint length followed by the bytes.
    mutating func lengthPrefixed(_ data: UnsafeBufferPointer<UInt8>)
    /// A keyed token: `op`, the column as a varint when there is one, then the key length-prefixed.
    mutating func keyed(_ op: UInt8, column: Int?, key: UnsafeBufferPointer<UInt8>)
}

extension LayoutByteSink {
    @inlinable package mutating func keyed(_ op: UInt8, column: Int?, key: UnsafeBufferPointer<UInt8>) {
        byte(op)
        if let column { varint(column) }
        lengthPrefixed(key)
    }
}

extension ByteWriter: LayoutByteSink {
    @inlinable package mutating func lengthPrefixed(_ data: UnsafeBufferPointer<UInt8>) {
        varint(data.count)
        bytes.append(contentsOf: data)
    }
}

/// Writes a record's layout key over the key of the record before, comparing instead of copying
/// while the two agree. The records of a blob nearly all have one layout, and appending each of its
/// few hundred bytes again for every record (a capacity and uniqueness check an append) was the
/// largest cost of taking a line apart once the line was parsed.
@usableFromInline package struct LayoutKeyWriter: LayoutByteSink {
    /// The key written so far (the first `count` bytes), then what is left of the key before.
    @usableFromInline var bytes: [UInt8] = []
    @usableFromInline var count = 0

    @inlinable package init() {}

    /// Starts the next key; the one before stays to be compared with.
    @inlinable package mutating func reset() { count = 0 }

    /// The key written since `reset()`.
    @inlinable package mutating func finish() -> [UInt8] {
        diverge()
        return bytes
    }

    /// Drops what is left of the key before, from the first byte that differs.
    @inlinable mutating func diverge() {
        if count < bytes.count { bytes.removeSubrange(count...) }
    }

    @inlinable package mutating func byte(_ value: UInt8) {
        if count < bytes.count {
            if bytes[count] == value {
                count += 1
                return
            }
            diverge()
        }
        bytes.append(value)
        count += 1
    }

    @inlinable package mutating func varint(_ value: Int) {
        precondition(value >= 0, "varint of a negative value")
        varint(unsigned: UInt64(value))
    }

    /// Zigzag, as `ByteWriter.signedVarint`.
    @inlinable package mutating func signedVarint(_ value: Int64) {
        varint(unsigned: UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    @inlinable mutating func varint(unsigned value: UInt64) {
        var v = value
        while v >= 0x80 {
            byte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        byte(UInt8(v))
    }

    /// A keyed token in one step: its few head bytes and its key are compared with the key before
    /// at once (this runs for every member of every line).
    @inlinable package mutating func keyed(_ op: UInt8, column: Int?, key: UnsafeBufferPointer<UInt8>) {
        var head: (UInt64, UInt64, UInt64) = (0, 0, 0)
        let headCount = withUnsafeMutableBytes(of: &head) { h in
            var n = 0
            func put(_ value: Int) {
                var v = UInt64(value)
                while v >= 0x80 {
                    h[n] = UInt8(truncatingIfNeeded: v) | 0x80
                    n += 1
                    v >>= 7
                }
                h[n] = UInt8(v)
                n += 1
            }
            h[0] = op
            n = 1
            if let column { put(column) }
            put(key.count)
            return n
        }
        let total = headCount + key.count
        let same = count + total <= bytes.count && bytes.withUnsafeBufferPointer { old in
            withUnsafeBytes(of: &head) { h in
                memcmp(old.baseAddress! + count, h.baseAddress!, headCount) == 0
                    && (key.isEmpty || memcmp(old.baseAddress! + count + headCount, key.baseAddress!, key.count) == 0)
            }
        }
        if same {
            count += total
            return
        }
        diverge()
        withUnsafeBytes(of: &head) { bytes.append(contentsOf: $0[..<headCount]) }
        bytes.append(contentsOf: key)
        count += total
    }

    @inlinable package mutating func lengthPrefixed(_ data: UnsafeBufferPointer<UInt8>) {
        varint(data.count)
        let n = data.count
        guard n > 0 else { return }
        if count + n <= bytes.count,
           bytes.withUnsafeBufferPointer({ memcmp($0.baseAddress! + count, data.baseAddress!, n) == 0 }) {
            count += n
            return
        }
        diverge()
        bytes.append(contentsOf: data)
        count += n
    }
}
