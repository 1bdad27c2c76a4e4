import CDeflate

/// One-call gzip inflation with libdeflate, for a file held whole in memory.
///
/// Only the simple case is taken: one gzip member without a header CRC that ends exactly where the bytes end,
/// whose trailer's ISIZE (the decompressed size modulo 2^32, RFC 1952 section 2.3.1) is
/// at most `limit` and matches what was inflated; libdeflate checks the CRC-32. Everything
/// else returns nil, and the caller streams through zlib, which reports damage precisely.
enum WholeGzip {
    /// The decompressed bytes of `compressed`, or nil when it is not the simple case.
    static func inflate(_ compressed: [UInt8], limit: Int) -> [UInt8]? {
        // 10 bytes of header and 8 of trailer at the least.
        guard compressed.count >= 18 else { return nil }
        // FLG.FHCRC: a header CRC-16, which libdeflate does not check and zlib does.
        guard compressed[3] & 0x02 == 0 else { return nil }
        let n = compressed.count
        let size = Int(compressed[n - 4]) | Int(compressed[n - 3]) << 8 | Int(compressed[n - 2]) << 16 | Int(compressed[n - 1]) << 24
        guard size <= limit, let decompressor = libdeflate_alloc_decompressor() else { return nil }
        defer { libdeflate_free_decompressor(decompressor) }
        var succeeded = false
        let output = [UInt8](unsafeUninitializedCapacity: size) { buffer, filled in
            var used = 0, produced = 0
            let result = compressed.withUnsafeBytes { input in
                libdeflate_gzip_decompress_ex(decompressor, input.baseAddress, input.count,
                                              buffer.baseAddress, size, &used, &produced)
            }
            succeeded = result == LIBDEFLATE_SUCCESS && used == n && produced == size
            filled = succeeded ? produced : 0
        }
        return succeeded ? output : nil
    }
}
