/// The RLE / bit-packing hybrid encoding of Parquet's definition levels and
/// dictionary indices (Encodings.md, "Run Length Encoding / Bit-Packing Hybrid",
/// in https://github.com/apache/parquet-format).
///
/// A sequence of runs, each starting with a varint header:
/// - RLE run: header `count << 1`, then the repeated value in `ceil(bitWidth / 8)` bytes, little-endian;
/// - bit-packed run: header `groups << 1 | 1`, then `groups * 8` values packed
///   `bitWidth` bits each, least significant bit first.
///
/// Runs of 8 or more equal values become RLE runs; the rest are bit-packed. The last
/// bit-packed group is padded with zeros: readers know the value count from the page header.
public enum RLEBitPackedHybrid {
    /// Bit-packed runs are cut at this many values (63 groups, a one-byte header), as other writers do.
    static let maxLiteralRun = 504

    /// The bits needed for values up to `maxValue` (at least 1: some readers reject width 0).
    public static func bitWidth(forMaxValue maxValue: UInt32) -> Int {
        max(1, 32 - maxValue.leadingZeroBitCount)
    }

    /// The runs encoding `values`, each of which must fit `bitWidth` bits (1 to 32).
    public static func encode(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        precondition((1...32).contains(bitWidth), "bit width \(bitWidth)")
        var out: [UInt8] = []
        var literals: [UInt32] = []
        var i = 0
        let n = values.count
        while i < n {
            let value = values[i]
            var run = 1
            while i + run < n && values[i + run] == value { run += 1 }
            // A bit-packed run holds whole groups of 8: the pending group is completed from this run first.
            let fill = (8 - literals.count % 8) % 8
            if run - fill >= 8 {
                literals.append(contentsOf: repeatElement(value, count: fill))
                flushLiterals(&literals, bitWidth: bitWidth, to: &out)
                appendRLERun(value: value, count: run - fill, bitWidth: bitWidth, to: &out)
                i += run
                continue
            }
            literals.append(contentsOf: values[i..<(i + run)])
            i += run
            while literals.count >= maxLiteralRun {
                appendBitPackedRun(literals[0..<maxLiteralRun], bitWidth: bitWidth, to: &out)
                literals.removeFirst(maxLiteralRun)
            }
        }
        flushLiterals(&literals, bitWidth: bitWidth, to: &out)
        return out
    }

    /// `encode` preceded by its length as 4 bytes little-endian, as data page v1 stores levels.
    public static func encodeWithLengthPrefix(_ values: [UInt32], bitWidth: Int) -> [UInt8] {
        let body = encode(values, bitWidth: bitWidth)
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 4)
        PlainEncoding.appendUInt32(UInt32(body.count), to: &out)
        out.append(contentsOf: body)
        return out
    }

    /// Writes pending literal values as one bit-packed run, zero-padded to whole groups.
    private static func flushLiterals(_ literals: inout [UInt32], bitWidth: Int, to out: inout [UInt8]) {
        guard !literals.isEmpty else { return }
        appendBitPackedRun(literals[...], bitWidth: bitWidth, to: &out)
        literals.removeAll(keepingCapacity: true)
    }

    static func appendRLERun(value: UInt32, count: Int, bitWidth: Int, to out: inout [UInt8]) {
        ThriftCompactWriter.appendVarint(UInt64(count) << 1, to: &out)
        for byte in 0..<((bitWidth + 7) / 8) { out.append(UInt8(truncatingIfNeeded: value >> (8 * byte))) }
    }

    static func appendBitPackedRun(_ values: ArraySlice<UInt32>, bitWidth: Int, to out: inout [UInt8]) {
        let groups = (values.count + 7) / 8
        ThriftCompactWriter.appendVarint(UInt64(groups) << 1 | 1, to: &out)
        var buffer: UInt64 = 0
        var bits = 0
        let mask: UInt64 = bitWidth == 64 ? ~0 : (1 << UInt64(bitWidth)) - 1
        for k in 0..<(groups * 8) {
            let v = k < values.count ? UInt64(values[values.startIndex + k]) & mask : 0
            buffer |= v << UInt64(bits)
            bits += bitWidth
            while bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: buffer))
                buffer >>= 8
                bits -= 8
            }
        }
        // groups * 8 * bitWidth is a multiple of 8 bits: nothing is left over.
        assert(bits == 0)
    }
}
