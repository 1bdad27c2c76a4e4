#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte strings given dense ids 0, 1, 2, … in order of first appearance, each kept with its
/// `fastHash`, and no `String` made of any.
///
/// A reading thread keeps one batch's distinct values here, so that the collecting thread looks
/// each up in its segment's `ByteInterner` once per batch, with the hash already computed, rather
/// than once per value.
package struct HashedByteTable {
    private var index = HashSlots(expectedCount: 64)
    /// Each id's bytes are `bytes[starts[id]..<starts[id + 1]]`.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]

    package init() {}

    /// Ids given so far.
    package var count: Int { index.count }

    /// Bytes held, for memory accounting.
    package var byteCount: Int { bytes.count }

    /// Whether id `id` has the bytes of `key`.
    @inline(__always)
    package func holds(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[id], length = starts[id + 1] - start
        return length == key.count
            && (length == 0 || bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, length) == 0 })
    }

    /// The id of `key`, adding it when new.
    @inline(__always)
    package mutating func id(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        let hash = fastHash(key)
        let found = index.find(hash) { holds($0, key) }
        if let id = found.id { return UInt32(id) }
        bytes.append(contentsOf: key)
        starts.append(bytes.count)
        return UInt32(index.insert(hash, at: found.slot))
    }

    /// Calls `body` with the bytes of `id` and their hash.
    @inline(__always)
    package func withKey<R>(_ id: Int, _ body: (UnsafeBufferPointer<UInt8>, UInt64) -> R) -> R {
        bytes.withUnsafeBufferPointer { all in
            body(UnsafeBufferPointer(rebasing: all[starts[id]..<starts[id + 1]]), index.hash(ofID: id))
        }
    }
}
