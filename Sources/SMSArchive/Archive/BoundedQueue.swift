#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A first-in first-out queue between two threads that holds at most
/// `capacity` items, so a fast producer cannot run ahead and fill memory.
final class BoundedQueue<Element>: @unchecked Sendable {
    private var items: [Element?] = []
    private var head = 0
    private let capacity: Int
    private var closed = false
    private var cancelled = false
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    init(capacity: Int) {
        self.capacity = capacity
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        changed.deallocate()
    }

    /// Adds an item, waiting while the queue is full; false when the consumer has cancelled.
    func push(_ item: Element) -> Bool {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while items.count - head >= capacity && !cancelled { pthread_cond_wait(changed, mutex) }
        if cancelled { return false }
        items.append(item)
        pthread_cond_broadcast(changed)
        return true
    }

    /// The next item, waiting for one; nil once the producer has closed the queue and it is empty.
    func pop() -> Element? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while items.count == head && !closed { pthread_cond_wait(changed, mutex) }
        guard items.count > head else { return nil }
        let item = items[head]
        items[head] = nil   // popped items must not stay alive in the array
        head += 1
        if head > 64 && head * 2 > items.count {
            items.removeFirst(head)
            head = 0
        }
        pthread_cond_broadcast(changed)
        return item!
    }

    /// The producer is done.
    func close() {
        pthread_mutex_lock(mutex)
        closed = true
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }

    /// The consumer gives up: the producer's next push returns false.
    func cancel() {
        pthread_mutex_lock(mutex)
        cancelled = true
        items.removeAll()
        head = 0
        pthread_cond_broadcast(changed)
        pthread_mutex_unlock(mutex)
    }
}
