import SMSSupport

/// Integers as zigzag varints, one after another.
package enum VarintEncoding {
    package static func encode(_ values: [Int64]) -> [UInt8] {
        var w = ByteWriter(capacity: values.count * 2)
        for v in values { w.signedVarint(v) }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], count: Int, context: String) throws(FormatError) -> [Int64] {
        var r = ByteReader(bytes, context: context)
        var values: [Int64] = []
        values.reserveCapacity(count)
        for _ in 0..<count { values.append(try r.signedVarint()) }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last value") }
        return values
    }
}
