/// Parquet's PLAIN encoding (Encodings.md in https://github.com/apache/parquet-format):
/// fixed-width values little-endian back to back; BYTE_ARRAY values each as a
/// 4-byte little-endian length and the bytes.
public enum PlainEncoding {
    /// Appends `value` as 4 bytes little-endian.
    public static func appendUInt32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    /// Appends an INT32 value.
    public static func append(int32 value: Int32, to out: inout [UInt8]) {
        appendUInt32(UInt32(bitPattern: value), to: &out)
    }

    /// Appends an INT64 value: 8 bytes little-endian.
    public static func append(int64 value: Int64, to out: inout [UInt8]) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 0, to: 64, by: 8) { out.append(UInt8(truncatingIfNeeded: bits >> UInt64(shift))) }
    }

    /// Appends a BYTE_ARRAY value: its length, then its bytes.
    public static func append<C: Collection>(byteArray value: C, to out: inout [UInt8]) where C.Element == UInt8 {
        appendUInt32(UInt32(value.count), to: &out)
        out.append(contentsOf: value)
    }

    /// The INT64 value as its 8 plain bytes, the form of INT64 statistics.
    public static func bytes(int64 value: Int64) -> [UInt8] {
        var out: [UInt8] = []
        append(int64: value, to: &out)
        return out
    }
}
