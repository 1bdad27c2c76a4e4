#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands batches from several reading threads to one consumer in the order of
/// the sources they came from, so that reading in parallel gives the same
/// archive as reading one source after another.
///
/// A reader claims a source (`claim`, which numbers sources in the order they are
/// taken), pushes that source's batches, then finishes it. The consumer pops the
/// batches of source 0, then of source 1, and so on. Memory stays bounded: each
/// source holds at most `capacity` batches not yet popped, at most `ahead`
/// sources past the one being consumed are claimed, and the batches of those
/// sources weigh at most `budget` together (by `weight`, such as their bytes). A
/// reader that is ahead waits, while the reader of the source being consumed always
/// makes progress, so there is no deadlock.
package final class OrderedBatchQueue<Element>: @unchecked Sendable {
    private struct Source {
        var batches: [Element] = []
        /// The weight of the batches pushed while the source was ahead of the one being consumed.
        var weightAhead = 0
        var finished = false
    }

    private let capacity: Int
    private let ahead: Int
    private let budget: Int
    private let weight: (Element) -> Int
    /// The weight of the batches held for sources past the one being consumed.
    private var aheadWeight = 0
    private var sources: [Int: Source] = [:]
    private var claimed = 0
    private var consuming = 0
    private var exhausted = false
    private var cancelled = false
    private let lock = ConditionLock()

    package init(capacity: Int, ahead: Int, budget: Int = .max, weight: @escaping (Element) -> Int = { _ in 0 }) {
        self.capacity = capacity
        self.ahead = ahead
        self.budget = budget
        self.weight = weight
    }

    /// Takes the next source from `next` (called under the lock, so sources are taken and
    /// numbered in one order) and returns its ticket; nil when `next` has no more (from then
    /// on, for every reader) or the consumer has cancelled.
    package func claim<S>(_ next: () -> S?) -> (ticket: Int, source: S)? {
        lock.locked {
            while !exhausted, !cancelled, claimed - consuming > ahead { lock.wait() }
            guard !exhausted, !cancelled else { return nil }
            guard let source = next() else {
                exhausted = true
                lock.broadcast()
                return nil
            }
            defer { claimed += 1 }
            sources[claimed] = Source()
            return (claimed, source)
        }
    }

    /// Adds a batch of the source `ticket`, waiting while that source has `capacity` batches
    /// waiting, or, for a source past the one being consumed, while the batches held ahead
    /// weigh `budget` (unless none is held); false when the consumer has cancelled.
    package func push(_ batch: Element, ticket: Int) -> Bool {
        let batchWeight = weight(batch)
        return lock.locked {
            while !cancelled, sources[ticket]!.batches.count >= capacity
                    || (ticket != consuming && aheadWeight > 0 && aheadWeight + batchWeight > budget) {
                lock.wait()
            }
            if cancelled { return false }
            sources[ticket]!.batches.append(batch)
            if ticket != consuming {
                sources[ticket]!.weightAhead += batchWeight
                aheadWeight += batchWeight
            }
            lock.broadcast()
            return true
        }
    }

    /// The source `ticket` has no more batches.
    package func finish(ticket: Int) {
        lock.locked {
            sources[ticket]?.finished = true
            lock.broadcast()
        }
    }

    /// The next batch in source order, waiting for it; nil once every source claimed is
    /// consumed and no more will be claimed.
    package func pop() -> Element? {
        lock.locked {
            while true {
                if let source = sources[consuming] {
                    if !source.batches.isEmpty {
                        let batch = sources[consuming]!.batches.removeFirst()
                        lock.broadcast()
                        return batch
                    }
                    if source.finished {
                        sources[consuming] = nil
                        consuming += 1
                        // The next source's batches are no longer ahead.
                        aheadWeight -= sources[consuming]?.weightAhead ?? 0
                        lock.broadcast()   // a reader may now claim
                        continue
                    }
                } else if exhausted && consuming == claimed {
                    return nil
                }
                lock.wait()
            }
        }
    }

    /// The consumer gives up: readers' next `push` returns false and `claim` nil.
    package func cancel() {
        lock.locked {
            cancelled = true
            sources.removeAll()
            lock.broadcast()
        }
    }
}
