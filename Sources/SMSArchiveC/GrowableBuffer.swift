#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Bytes on the C heap that grow as values are appended, then are handed to an Arrow array whole
/// (`take()`): the array's release callback frees them with `free`, so nothing is copied on export.
final class GrowableBuffer {
    private(set) var pointer: UnsafeMutableRawPointer?
    private(set) var count = 0
    private var capacity = 0
    /// The bytes the last buffer taken held: the next one starts that large, not growing (and copying) from 4 KiB again.
    private var lastCount = 0

    deinit { free(pointer) }

    private func reserve(_ extra: Int) {
        guard count + extra > capacity else { return }
        var newCapacity = max(capacity * 2, 4096, lastCount)
        while newCapacity < count + extra { newCapacity *= 2 }
        guard let grown = realloc(pointer, newCapacity) else { fatalError("out of memory growing a buffer to \(newCapacity) bytes") }
        pointer = grown
        capacity = newCapacity
    }

    func append<T: FixedWidthInteger>(_ value: T) {
        reserve(MemoryLayout<T>.size)
        pointer!.storeBytes(of: value, toByteOffset: count, as: T.self)
        count += MemoryLayout<T>.size
    }

    func append(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        reserve(bytes.count)
        (pointer! + count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        count += bytes.count
    }

    /// Appends `n` zero bytes.
    func appendZeros(_ n: Int) {
        reserve(n)
        (pointer! + count).initializeMemory(as: UInt8.self, repeating: 0, count: n)
        count += n
    }

    /// Sets bit `bit` (LSB first, as Arrow's validity bitmaps number them) of the bytes appended so far.
    func setBit(_ bit: Int) {
        pointer!.advanced(by: bit >> 3).assumingMemoryBound(to: UInt8.self).pointee |= UInt8(1 << (bit & 7))
    }

    /// The bytes, now owned by the caller (free them with `free`); the buffer is empty again.
    func take() -> UnsafeMutableRawPointer? {
        defer { pointer = nil; lastCount = count; count = 0; capacity = 0 }
        return pointer ?? malloc(8)   // Arrow wants a buffer even when empty
    }
}
