#if canImport(Glibc)
import Glibc
#endif

/// Keeps freed block buffers in the process instead of handing them back to the kernel.
///
/// Reading a block allocates and frees buffers of 100 KB to a few MB (decompressed chunks, row
/// indexes, ids). glibc serves such sizes with mmap, or trims them off its heaps as soon as they are
/// freed, so the next block pays a page fault for every 4 KB again: a quarter of the time of a
/// one-column aggregate went to that. Raising the two thresholds keeps up to 64 MiB of freed memory
/// for reuse; memory in use is unchanged, so peak memory does not grow.
package enum AllocatorTuning {
    /// Applies the thresholds once per process (later calls do nothing).
    package static func keepBlockBuffers() { _ = applied }

    private static let applied: Bool = {
        #if canImport(Glibc)
        // `mallopt` is in <malloc.h>, which the Glibc module leaves out: found by name. Parameter
        // numbers as <malloc.h> has them.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3
        if let symbol = dlsym(nil, "mallopt") {
            let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
            _ = mallopt(mmapThreshold, 32 << 20)
            _ = mallopt(trimThreshold, 64 << 20)
        }
        #endif
        return true
    }()
}
