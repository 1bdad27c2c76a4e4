import SMSSupport
import SMSRecords

/// A key that `DenseIDTable` can hold: hashed with a fast non-cryptographic hash,
/// compared exactly.
package protocol DenseIDKey {
    var denseHash: UInt64 { get }
    func isSameKey(as other: Self) -> Bool
}

/// Gives distinct keys dense ids (0, 1, 2, … in order of first appearance).
///
/// Encoders build a dictionary or count distinct values for every column of
/// every block; with Swift's `Dictionary` and `Set` most of that time went to
/// SipHash. Keys come from the records being archived; a crafted input can at
/// worst make its own conversion slower.
package struct DenseIDTable<Key: DenseIDKey> {
    private var index: HashSlots
    /// The distinct keys, by id.
    private(set) var keys: [Key] = []

    package init(expectedCount: Int = 16) {
        index = HashSlots(expectedCount: expectedCount)
        keys.reserveCapacity(expectedCount)
    }

    package var count: Int { keys.count }

    /// The id of `key`, giving it the next id when it is new.
    @inline(__always)
    package mutating func id(_ key: Key) -> Int {
        let hash = key.denseHash
        let found = index.find(hash) { keys[$0].isSameKey(as: key) }
        if let id = found.id { return id }
        keys.append(key)
        return index.insert(hash, at: found.slot)
    }
}

extension ExactString: DenseIDKey {
    package var denseHash: UInt64 { withUTF8(value) { fastHash($0) } }
    package func isSameKey(as other: ExactString) -> Bool { value.isIdentical(to: other.value) }
}

extension Int64: DenseIDKey {
    package var denseHash: UInt64 { mixBits(UInt64(bitPattern: self)) }
    package func isSameKey(as other: Int64) -> Bool { self == other }
}

extension UInt64: DenseIDKey {
    package var denseHash: UInt64 { mixBits(self) }
    package func isSameKey(as other: UInt64) -> Bool { self == other }
}

/// A 64-bit finalizer (from SplitMix64): every input bit affects every output bit.
@inline(__always)
package func mixBits(_ x: UInt64) -> UInt64 {
    var z = x &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
}
