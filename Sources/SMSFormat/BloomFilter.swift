import SMSSupport

/// A Bloom filter over strings: "certainly absent" or "maybe present".
/// A block keeps one over its phone numbers and MessageIds, so a lookup of one
/// value skips almost every block that does not hold it.
///
/// Bit i (of m) is set for a value when i = (h1 + j·h2) mod m for j in 0..<k,
/// where h1 and h2 are the low and high 32 bits of XXH64(column id as one byte + UTF-8 of the value, seed 0).
package struct BloomFilter: Sendable, Equatable {
    package private(set) var bits: [UInt64]
    package let hashCount: Int

    /// Bits per distinct value; about 5.6% false positives with 4 hashes.
    package static let bitsPerValue = 6
    package static let defaultHashCount = 4

    package init(expectedValues: Int, hashCount: Int = BloomFilter.defaultHashCount) {
        let words = max(1, (expectedValues * Self.bitsPerValue + 63) / 64)
        bits = [UInt64](repeating: 0, count: words)
        self.hashCount = hashCount
    }

    /// A filter of at least `bitCount` bits (whole 64-bit words, at least one).
    package init(bitCount: Int, hashCount: Int = BloomFilter.defaultHashCount) {
        bits = [UInt64](repeating: 0, count: max(1, (bitCount + 63) / 64))
        self.hashCount = hashCount
    }

    package init(bits: [UInt64], hashCount: Int) {
        self.bits = bits
        self.hashCount = hashCount
    }

    package var bitCount: UInt64 { UInt64(bits.count) * 64 }

    package static func hashes(column: Int, value: String) -> (UInt64, UInt64) {
        var bytes = [UInt8(truncatingIfNeeded: column)]
        bytes.append(contentsOf: value.utf8)
        let h = xxh64(bytes)
        return (h & 0xFFFF_FFFF, h >> 32)
    }

    package mutating func insert(column: Int, value: String) {
        insert(hashes: Self.hashes(column: column, value: value))
    }

    /// Inserts the value whose UTF-8 is `utf8`; `scratch` is a buffer to reuse between calls, so
    /// that a block's many identifiers do not each make an array to be hashed.
    package mutating func insert(column: Int, utf8: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(UInt8(truncatingIfNeeded: column))
        scratch.append(contentsOf: utf8)
        let h = xxh64(scratch)
        insert(hashes: (h & 0xFFFF_FFFF, h >> 32))
    }

    private mutating func insert(hashes: (UInt64, UInt64)) {
        let (h1, h2) = hashes
        for j in 0..<UInt64(hashCount) {
            let bit = (h1 &+ j &* h2) % bitCount
            bits[Int(bit >> 6)] |= 1 << (bit & 63)
        }
    }

    package func mayContain(column: Int, value: String) -> Bool {
        let (h1, h2) = Self.hashes(column: column, value: value)
        for j in 0..<UInt64(hashCount) {
            let bit = (h1 &+ j &* h2) % bitCount
            if bits[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }
}
