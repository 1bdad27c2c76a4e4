import SMSRecords
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A column's values as UTF-8 end to end: value `i` is `bytes[ends[i - 1]..<ends[i]]` (from 0 for
/// the first). The identifier columns reach the block encoder so: nearly every value is distinct,
/// and a `String` made for each (to be hashed, parsed and written back as bytes) was a large part
/// of the encoding's time.
package struct TextColumn: Sendable {
    package private(set) var bytes: [UInt8] = []
    package private(set) var ends: [Int] = []

    package init() {}

    package init(_ strings: [String]) {
        ends.reserveCapacity(strings.count)
        for s in strings { withUTF8(s) { append($0) } }
    }

    package var count: Int { ends.count }
    package var isEmpty: Bool { ends.isEmpty }

    package mutating func reserve(values: Int, bytes byteCount: Int) {
        ends.reserveCapacity(values)
        bytes.reserveCapacity(byteCount)
    }

    /// Appends a value: `utf8` as it is when it is valid UTF-8, else as a `String` made of it
    /// repairs it (what a reader of the value gets).
    package mutating func append(_ utf8: UnsafeBufferPointer<UInt8>) {
        if firstInvalidUTF8(UnsafeRawBufferPointer(utf8)) == nil {
            bytes.append(contentsOf: utf8)
        } else {
            bytes.append(contentsOf: String(decoding: utf8, as: UTF8.self).utf8)
        }
        ends.append(bytes.count)
    }

    /// Value `i` as a `String`.
    package func string(_ i: Int) -> String {
        withValues { String(decoding: $0[i], as: UTF8.self) }
    }

    /// The values as buffers, valid in `body` only.
    package func withValues<R>(_ body: (Values) -> R) -> R {
        bytes.withUnsafeBufferPointer { b in ends.withUnsafeBufferPointer { e in body(Values(bytes: b, ends: e)) } }
    }

    /// Unsafe access to the values (see `withValues`).
    package struct Values {
        let bytes: UnsafeBufferPointer<UInt8>
        let ends: UnsafeBufferPointer<Int>

        package var count: Int { ends.count }

        @inline(__always)
        package subscript(i: Int) -> UnsafeBufferPointer<UInt8> {
            let start = i == 0 ? 0 : ends[i - 1]
            return UnsafeBufferPointer(rebasing: bytes[start..<ends[i]])
        }

        /// Whether values `i` and `j` have the same bytes.
        @inline(__always)
        package func same(_ i: Int, _ j: Int) -> Bool {
            let a = self[i], b = self[j]
            guard a.count == b.count else { return false }
            return a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0
        }
    }
}
