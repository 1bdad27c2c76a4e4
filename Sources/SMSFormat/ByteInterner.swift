import SMSSupport
import SMSRecords

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Maps byte strings to dense ids, so a segment being built holds each distinct
/// phone number, country, operation, layout... once.
///
/// Keys are compared byte for byte (canonically equivalent strings stay apart,
/// see `ExactString`) and hashed with `fastHash`, not Swift's `Hasher`: this
/// runs for most values of every record, and SipHash over a `String` cost more
/// than everything else the writing thread did.
package struct ByteInterner {
    private var index = HashSlots(expectedCount: 32)
    /// Each id's bytes are `bytes[starts[id]..<starts[id + 1]]`, except for keys longer than
    /// `longKey`: those are compared with their `String` alone (kept once, not twice).
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]
    private var longKeyBytes = 0
    private static let longKey = 1 << 16
    /// Each id's bytes as a `String`, made once, for the encoders.
    package private(set) var strings: [String] = []

    package var count: Int { strings.count }

    /// Whether every id's `String` has exactly its bytes: not so when some key was not valid
    /// UTF-8 (decoding repaired it), and then two ids may have the same `String`.
    package private(set) var stringsAreExact = true

    /// Memory used, for the segment's memory bound: from counts, not capacities, so that
    /// where a segment ends does not depend on the allocator (and runs give the same archive).
    /// Stored, not computed: a segment checks its size after every record, and reading a computed
    /// property of an interner held by a class copied the whole interner each time.
    package private(set) var byteCount = 0

    private mutating func updateByteCount() {
        byteCount = bytes.count + longKeyBytes + index.slotCount * 4 + count * (8 + 8 + 48)
    }

    /// The id of `key`, adding it when new.
    package mutating func id(_ key: UnsafeBufferPointer<UInt8>) -> UInt32 {
        id(key, hash: fastHash(key))
    }

    /// The id of `key`, whose `fastHash` is `hash` (computed on another thread), adding it when new.
    package mutating func id(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> UInt32 {
        let found = index.find(hash) { equals($0, key) }
        if let id = found.id { return UInt32(id) }
        if key.count > Self.longKey {
            longKeyBytes += key.count
        } else {
            bytes.append(contentsOf: key)
        }
        starts.append(bytes.count)
        var string = String(decoding: key, as: UTF8.self)
        if stringsAreExact {
            stringsAreExact = string.withUTF8 { $0.count == key.count && (key.count == 0 || memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0) }
        }
        strings.append(string)
        let id = index.insert(hash, at: found.slot)
        updateByteCount()
        return UInt32(id)
    }

    package mutating func id(_ key: [UInt8]) -> UInt32 {
        key.withUnsafeBufferPointer { id($0) }
    }

    package mutating func id(_ key: String) -> UInt32 {
        withUTF8(key) { id($0) }
    }

    package subscript(id: UInt32) -> String { strings[Int(id)] }

    private func equals(_ id: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        if key.count > Self.longKey {
            // Its bytes are its String's (when they were not valid UTF-8 the String differs, and a
            // repeat is kept as a new id: harmless, as `stringsAreExact` is then false).
            var string = strings[id]
            return string.withUTF8 { $0.count == key.count && memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 }
        }
        let start = starts[id], length = starts[id + 1] - start
        guard length == key.count else { return false }
        guard length > 0 else { return strings[id].isEmpty }   // not a long key, which has no bytes here
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, key.baseAddress!, length) == 0 }
    }

    package init(strings: [String] = []) {
        self.strings = strings
        updateByteCount()
    }
}

/// A fast, non-cryptographic 64-bit hash of bytes (eight at a time, multiply and
/// fold). Interning keys come from log files, not from an adversary that gains by
/// collisions: at worst a crafted export makes one convert slower.
@inline(__always)
package func fastHash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
    let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
    var h = UInt64(key.count) &* multiplier
    guard let base = key.baseAddress else { return h }
    let raw = UnsafeRawPointer(base)
    var i = 0
    while i + 8 <= key.count {
        h = (h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* multiplier
        h ^= h >> 29
        i += 8
    }
    if i < key.count {
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < key.count {
            tail |= UInt64(base[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ tail) &* multiplier
    }
    h ^= h >> 32
    h = h &* 0xD6E8_FEB8_6659_FD93
    return h ^ (h >> 32)
}
