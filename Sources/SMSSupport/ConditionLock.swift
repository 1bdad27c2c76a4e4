#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A mutex with one condition variable, for the hand-offs between reading, decoding and
/// writing threads (`OrderedBatchQueue`, the C interface's block prefetch): `wait` and
/// `broadcast` are called inside `locked`.
package final class ConditionLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    package init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    /// Runs `body` holding the mutex.
    package func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Inside `locked`: releases the mutex until another thread broadcasts, then holds it again.
    package func wait() {
        pthread_cond_wait(changed, mutex)
    }

    /// Inside `locked`: wakes every waiting thread.
    package func broadcast() {
        pthread_cond_broadcast(changed)
    }
}
