import Foundation
import Synchronization
import Testing
@testable import SMSArchive
@testable import SMSSupport

/// Reading threads push batches of the sources they claimed; the consumer must
/// get them in source order, with memory bounded, and cancelling must free everyone.
@Suite struct OrderedBatchQueueTests {
    /// Sources 0..<count handed out in order.
    final class Counter: @unchecked Sendable {
        var next = 0
        let count: Int
        init(count: Int) { self.count = count }
        func take() -> Int? {
            guard next < count else { return nil }
            defer { next += 1 }
            return next
        }
    }

    @Test func batchesComeInSourceOrderWhateverTheReadersTiming() {
        let queue = OrderedBatchQueue<[Int]>(capacity: 2, ahead: 2)
        let sources = Counter(count: 40)
        let readers = (0..<3).map { r in
            ProducerThread {
                while let (_, source) = queue.claim({ sources.take() }) {
                    // Uneven work: some sources have more batches, some readers are slower.
                    for part in 0..<(source % 4 + 1) {
                        if (source + r) % 3 == 0 { usleep(200) }
                        guard queue.push([source, part], ticket: source) else { return }
                    }
                    queue.finish(ticket: source)
                }
            }
        }
        var popped: [[Int]] = []
        while let batch = queue.pop() { popped.append(batch) }
        for reader in readers { reader.join() }
        let expected = (0..<40).flatMap { source in (0..<(source % 4 + 1)).map { [source, $0] } }
        #expect(popped == expected)
    }

    @Test func readersDoNotRunAheadOfTheConsumer() {
        let queue = OrderedBatchQueue<Int>(capacity: 1, ahead: 1)
        let sources = Counter(count: 10)
        let claims = Mutex(0)
        let readers = (0..<2).map { _ in
            ProducerThread {
                while let (ticket, _) = queue.claim({ sources.take() }) {
                    claims.withLock { $0 += 1 }
                    _ = queue.push(ticket, ticket: ticket)
                    queue.finish(ticket: ticket)
                }
            }
        }
        usleep(100_000)
        // Nothing popped yet: source 0 and at most one more are claimed.
        #expect(claims.withLock { $0 } <= 2)
        var popped: [Int] = []
        while let value = queue.pop() { popped.append(value) }
        for reader in readers { reader.join() }
        #expect(popped == Array(0..<10))
    }

    /// Batches held for sources past the one being consumed weigh at most the budget (one batch
    /// over it may be held when none is); the source being consumed is never held back by it.
    @Test func batchesAheadStayWithinTheBudget() {
        let queue = OrderedBatchQueue<Int>(capacity: 100, ahead: 100, budget: 25) { $0 }
        let sources = Counter(count: 6)
        let pushed = Mutex<[Int]>([])
        let readers = (0..<3).map { _ in
            ProducerThread {
                while let (ticket, _) = queue.claim({ sources.take() }) {
                    // Each source: batches weighing 10, and the first source a heavy one of 40 too.
                    for weight in ticket == 0 ? [10, 40, 10] : [10, 10] {
                        guard queue.push(weight, ticket: ticket) else { return }
                        pushed.withLock { $0.append(ticket) }
                    }
                    queue.finish(ticket: ticket)
                }
            }
        }
        usleep(200_000)
        // Source 0 (being consumed) pushed all of its batches, heavy or not; the sources ahead hold
        // two batches of 10: a third would make 30, over the budget of 25.
        let before = pushed.withLock { $0 }
        #expect(before.filter { $0 == 0 }.count == 3)
        #expect(before.filter { $0 != 0 }.count == 2)
        var popped: [Int] = []
        while let value = queue.pop() { popped.append(value) }
        for reader in readers { reader.join() }
        #expect(popped == [10, 40, 10] + Array(repeating: 10, count: 10))
    }

    @Test func cancellingReleasesWaitingReaders() {
        let queue = OrderedBatchQueue<Int>(capacity: 1, ahead: 1)
        let sources = Counter(count: 1000)
        let pushesRefused = Mutex(0)
        let readers = (0..<2).map { _ in
            ProducerThread {
                while let (ticket, _) = queue.claim({ sources.take() }) {
                    for i in 0..<5 where !queue.push(i, ticket: ticket) {
                        pushesRefused.withLock { $0 += 1 }
                        return
                    }
                    queue.finish(ticket: ticket)
                }
            }
        }
        #expect(queue.pop() == 0)
        usleep(50_000)
        queue.cancel()
        // Both readers were waiting (one on a full source, one to claim or push): both must return.
        for reader in readers { reader.join() }
        #expect(pushesRefused.withLock { $0 } >= 1)
        #expect(queue.claim({ sources.take() }) == nil)
    }
}
