import SMSSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A string compared and hashed by its UTF-8 bytes.
///
/// Swift's `String` equality treats canonically equivalent strings (`"é"` and
/// `"e\u{301}"`) as equal, so a dictionary keyed by `String` would merge them;
/// the archive must keep them apart to give every record back exactly.
package struct ExactString: Hashable, Sendable {
    package let value: String

    package init(_ value: String) { self.value = value }

    package static func == (a: ExactString, b: ExactString) -> Bool {
        a.value.isIdentical(to: b.value)
    }

    package func hash(into hasher: inout Hasher) {
        var v = value
        v.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension String {
    /// Equal byte for byte (not merely canonically equivalent).
    package func isIdentical(to other: String) -> Bool {
        var a = self, b = other
        return a.withUTF8 { x in
            b.withUTF8 { y in
                x.count == y.count && (x.count == 0 || memcmp(x.baseAddress!, y.baseAddress!, x.count) == 0)
            }
        }
    }
}
