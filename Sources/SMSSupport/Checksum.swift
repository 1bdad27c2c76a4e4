import CXXHash

/// XXH64 (seed 0) of a byte range, the archive's checksum of every stored chunk.
package func xxh64<C: ContiguousCollection>(_ data: C) -> UInt64 where C.Element == UInt8 {
    data.withUnsafeBytes { XXH64($0.baseAddress, $0.count, 0) }
}

/// XXH64 (seed 0) computed over data fed in pieces.
package final class StreamingXXH64 {
    private let state: OpaquePointer

    package init() {
        state = XXH64_createState()
        XXH64_reset(state, 0)
    }

    deinit { XXH64_freeState(state) }

    package func update<C: ContiguousCollection>(_ data: C) where C.Element == UInt8 {
        data.withUnsafeBytes { _ = XXH64_update(state, $0.baseAddress, $0.count) }
    }

    package func update(_ data: UnsafeRawBufferPointer) {
        _ = XXH64_update(state, data.baseAddress, data.count)
    }

    package var digest: UInt64 { XXH64_digest(state) }

    /// A hasher in the same state, which goes on independently.
    package func copy() -> StreamingXXH64 {
        let other = StreamingXXH64()
        XXH64_copyState(other.state, state)
        return other
    }
}
