import CXXHash

/// XXH64 (seed 0) of a byte range, the archive's checksum of every stored chunk.
public func xxh64<C: ContiguousCollection>(_ data: C) -> UInt64 where C.Element == UInt8 {
    data.withUnsafeBytes { XXH64($0.baseAddress, $0.count, 0) }
}
