import SMSSupport

/// Integers as zigzag varints of the difference to the previous value (the
/// first to 0): sorted times and slowly changing values become small numbers.
package enum DeltaVarintEncoding {
    package static func encode(_ values: [Int64]) -> [UInt8] {
        var w = ByteWriter(capacity: values.count * 2)
        var previous: Int64 = 0
        for v in values {
            w.signedVarint(v &- previous)
            previous = v
        }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], count: Int, context: String) throws(FormatError) -> [Int64] {
        var r = ByteReader(bytes, context: context)
        var values: [Int64] = []
        values.reserveCapacity(count)
        var previous: Int64 = 0
        for _ in 0..<count {
            previous = previous &+ (try r.signedVarint())
            values.append(previous)
        }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last value") }
        return values
    }
}
