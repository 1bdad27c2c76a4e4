import Dispatch

/// Runs `decode` for item 0, 1, 2, … one item ahead of `use`: while the calling thread uses item k,
/// item k + 1 is made on another thread. For `stats`' joins, whose table work on the calling thread
/// was otherwise left alone between two parallel block decodes (half the cores idle).
///
/// `decode` must only read what it captures (it runs on other threads, one call at a time); at most
/// two items exist at once. An error thrown by `use` stops the loop, after the item being made is
/// done (nothing runs on after the return).
func decodeAhead<T>(_ count: Int, decode: @escaping (Int) -> T, use: (T) throws -> Void) rethrows {
    nonisolated(unsafe) let decode = decode
    func start(_ i: Int) -> PendingItem<T> {
        let pending = PendingItem<T>()
        DispatchQueue.global().async {
            pending.item = decode(i)
            pending.done.signal()
        }
        return pending
    }
    guard count > 0 else { return }
    var next = start(0)
    for i in 0..<count {
        next.done.wait()
        let item = next.item!
        next.item = nil
        if i + 1 < count { next = start(i + 1) }
        do {
            try use(item)
        } catch {
            if i + 1 < count { next.done.wait() }
            throw error
        }
    }
}

/// One item of `decodeAhead` being made elsewhere: written once by its thread before `done` is
/// signalled, read only after.
private final class PendingItem<T>: @unchecked Sendable {
    var item: T?
    let done = DispatchSemaphore(value: 0)
}
