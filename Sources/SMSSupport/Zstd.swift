import CZstd

/// zstd compression of whole buffers through libzstd.
package enum Zstd {
    /// The level `convert` uses unless told otherwise.
    package static let defaultLevel: Int32 = 9

    package static func compress(_ input: [UInt8], level: Int32 = defaultLevel) -> [UInt8] {
        frame(of: input) { dst, bound, src in ZSTD_compress(dst, bound, src, input.count, level) }
    }

    /// The frame `compressing` writes for `input` (given the output, its size bound and the
    /// input), in an array of the frame's size.
    fileprivate static func frame(of input: [UInt8],
                                  _ compressing: (UnsafeMutableRawPointer?, Int, UnsafeRawPointer?) -> Int) -> [UInt8] {
        let bound = ZSTD_compressBound(input.count)
        var written = 0
        let output = [UInt8](unsafeUninitializedCapacity: bound) { dst, count in
            written = input.withUnsafeBytes { src in compressing(dst.baseAddress, bound, src.baseAddress) }
            count = ZSTD_isError(written) == 0 ? written : 0
        }
        checked(written)
        return output
    }

    /// Stops on a zstd compression error: compressing into a buffer of the bound cannot fail but
    /// for lack of memory.
    fileprivate static func checked(_ written: Int) {
        precondition(ZSTD_isError(written) == 0, "zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
    }

    /// A compression context kept for many frames: `ZSTD_compress` sets one up and frees it on
    /// every call, which for a block's few dozen chunks and trials was allocation and page faults.
    /// The frames are byte for byte those of `Zstd.compress`. Not for sharing between threads.
    /// Frames go to a buffer kept across calls too: a trial needs only the size, and a frame kept
    /// is copied out at its size, not held at the worst-case bound.
    package final class Compressor {
        private let context: OpaquePointer
        private var output: [UInt8] = []

        package init() {
            guard let context = ZSTD_createCCtx() else { fatalError("zstd: no memory for a compression context") }
            self.context = context
        }

        deinit { ZSTD_freeCCtx(context) }

        package func compress(_ input: [UInt8], level: Int32 = defaultLevel) -> [UInt8] {
            // A large frame goes to its own array: a copy out of the kept buffer would hold it twice.
            if ZSTD_compressBound(input.count) > Self.largestKept {
                return Zstd.frame(of: input) { dst, bound, src in ZSTD_compressCCtx(context, dst, bound, src, input.count, level) }
            }
            let count = compressedSize(input, level: level)
            return Array(output[..<count])
        }

        /// Frames up to this bound go through the kept buffer; larger ones (a record near the line
        /// limit) are not kept, so memory stays a small multiple of the values.
        private static let largestKept = 8 << 20

        /// The size of `input`'s frame (what `compress` would return, without keeping it).
        package func compressedSize(_ input: [UInt8], level: Int32) -> Int {
            let bound = ZSTD_compressBound(input.count)
            if bound > Self.largestKept { return compress(input, level: level).count }
            if output.count < bound { output = [UInt8](repeating: 0, count: bound) }
            let written = output.withUnsafeMutableBytes { dst in
                input.withUnsafeBytes { src in ZSTD_compressCCtx(context, dst.baseAddress, bound, src.baseAddress, input.count, level) }
            }
            Zstd.checked(written)
            return written
        }
    }


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
