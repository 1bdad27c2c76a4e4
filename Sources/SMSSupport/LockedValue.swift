#if canImport(Glibc)
import Glibc
#endif

/// A value shared between threads, touched only under a pthread mutex.
///
/// Not Synchronization's `Mutex`: the thread sanitizer does not see that one's ordering and reports
/// the value as raced (as it did for `DescriptorPool`, and for the counters of blocks decoded in
/// parallel by `ArchiveReader.scanBatches`).
package final class LockedValue<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    package init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    package func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
