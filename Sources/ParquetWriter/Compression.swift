import CZstd

/// How page bodies are compressed (`CompressionCodec` in parquet.thrift). Page
/// headers are never compressed; each page body is one independent frame.
public enum Compression: Sendable, Equatable {
    /// Pages stored as they are.
    case uncompressed
    /// zstd at the given level (1 to 22).
    case zstd(level: Int32)

    /// The codec number written in `ColumnMetaData`.
    var codec: Int32 {
        switch self {
        case .uncompressed: return 0
        case .zstd: return 6
        }
    }

    /// `body` compressed.
    func compress(_ body: [UInt8]) -> [UInt8] {
        switch self {
        case .uncompressed:
            return body
        case .zstd(let level):
            let bound = ZSTD_compressBound(body.count)
            var written = 0
            let output = [UInt8](unsafeUninitializedCapacity: bound) { dst, count in
                written = body.withUnsafeBytes { src in ZSTD_compress(dst.baseAddress, bound, src.baseAddress, body.count, level) }
                count = ZSTD_isError(written) == 0 ? written : 0
            }
            precondition(ZSTD_isError(written) == 0, "zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
            return output
        }
    }
}
