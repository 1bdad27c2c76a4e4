/// Calls `body` with the UTF-8 of `s` (nil when `s` is nil), without copying when `s` is native.
@inlinable @inline(__always)
package func withOptionalUTF8<R>(_ s: String?, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
    guard var s else { return body(nil) }
    return s.withUTF8 { body($0) }
}

/// Calls `body` with the UTF-8 of `s`: in place when the string is stored contiguously
/// (no copy of the string, which costs a retain and a uniqueness check a value).
@inlinable @inline(__always)
package func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
    if let result = s.utf8.withContiguousStorageIfAvailable(body) { return result }
    var s = s
    return s.withUTF8 { body($0) }
}
