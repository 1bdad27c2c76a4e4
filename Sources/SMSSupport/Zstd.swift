import CZstd
import Synchronization

/// zstd compression of whole buffers through libzstd.
package enum Zstd {
    /// The level `convert` uses unless told otherwise.
    package static let defaultLevel: Int32 = 9

    /// `input` as one zstd frame that records its size. The same bytes as `ZSTD_compress` gives.
    package static func compress(_ input: [UInt8], level: Int32 = defaultLevel) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        let context = contexts.take()
        defer { contexts.give(context) }
        var written = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { dst, count in
            written = input.withUnsafeBytes { src in ZSTD_compressCCtx(context.pointer, dst.baseAddress, bound, src.baseAddress, input.count, level) }
            count = ZSTD_isError(written) == 0 ? written : 0
        }
        precondition(ZSTD_isError(written) == 0, "zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
        return output
    }

    /// Compression contexts for reuse. A context holds zstd's match tables (megabytes at level 9):
    /// `ZSTD_compress` made and zeroed a new one for every chunk and every trial of one, which
    /// was a tenth of the encoding threads' time.
    private static let contexts = ContextPool()

    /// Decompresses a frame that records its own size (as `compress` writes), up to `limit` bytes.
    package static func decompressFrame(_ input: [UInt8], limit: Int, context: @autoclosure () -> String) throws(FormatError) -> [UInt8] {
        let size = input.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        guard size <= UInt64(limit) else { throw .damaged("\(context()): not a zstd frame of known size up to \(limit) bytes") }
        return try decompress(input, expectedSize: Int(size), context: context())
    }

    /// Decompresses a frame that must yield exactly `expectedSize` bytes: the output buffer is that
    /// size and zstd never writes past it, so a frame that would expand further (a bomb) is damage,
    /// not memory. The caller bounds `expectedSize`.
    package static func decompress<C: ContiguousCollection>(_ input: C, expectedSize: Int, context: @autoclosure () -> String) throws(FormatError) -> [UInt8] where C.Element == UInt8 {
        let declared = input.withUnsafeBytes { ZSTD_getFrameContentSize($0.baseAddress, $0.count) }
        // A frame that names its size (as every writer of ours does) must name this one.
        if declared < UInt64.max - 1 && declared != UInt64(expectedSize) {   // the top two values: unknown, error
            throw .damaged("\(context()): the zstd frame holds \(declared) bytes, expected \(expectedSize)")
        }
        var result = 0
        let output = [UInt8](unsafeUninitializedCapacity: expectedSize) { dst, count in
            result = input.withUnsafeBytes { src in ZSTD_decompress(dst.baseAddress, expectedSize, src.baseAddress, src.count) }
            count = ZSTD_isError(result) == 0 ? result : 0
        }
        if ZSTD_isError(result) != 0 {
            throw .damaged("\(context()): zstd: \(String(cString: ZSTD_getErrorName(result)))")
        }
        guard result == expectedSize else {
            throw .damaged("\(context()): decompressed to \(result) bytes, expected \(expectedSize)")
        }
        return output
    }
}

/// Collections with contiguous storage whose bytes can be handed to C.
package protocol ContiguousCollection: Collection {
    func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R
}
extension Array: ContiguousCollection {}
extension ArraySlice: ContiguousCollection {}

/// A `ZSTD_CCtx`, used by one thread at a time (the pool hands it out).
private struct CompressionContext: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Compression contexts not in use, a few at most (one per encoding thread is enough).
private final class ContextPool: Sendable {
    private let free = Mutex<[CompressionContext]>([])
    private static let kept = 8

    func take() -> CompressionContext {
        if let context = free.withLock({ $0.popLast() }) { return context }
        guard let pointer = ZSTD_createCCtx() else { fatalError("zstd: out of memory for a compression context") }
        return CompressionContext(pointer: pointer)
    }

    func give(_ context: CompressionContext) {
        let keep = free.withLock { list in
            guard list.count < Self.kept else { return false }
            list.append(context)
            return true
        }
        if !keep { ZSTD_freeCCtx(context.pointer) }
    }
}
