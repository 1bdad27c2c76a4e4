import Dispatch
import SMSArchive
import SMSSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes a scan's candidate blocks on all cores ahead of the consumer, and hands them out in order.
///
/// While the consumer turns one block's rows into Arrow buffers (and DuckDB works on them), the next
/// `window` blocks are being decoded: the cores never wait for the slowest block of a group, nor for the
/// consumer. At most `window` decoded blocks wait besides the one being handed out, so memory stays
/// bounded. Releasing the stream cancels the blocks not started yet.
final class BlockPrefetch: @unchecked Sendable {
    /// A block's matching rows (nil when it has none), or the error decoding it.
    typealias Decoded = Result<(RecordBatch, [Int])?, any Error>
    typealias Decode = @Sendable (SegmentReader, Int, _ testFirst: Bool) throws -> (RecordBatch, [Int])?

    private let candidates: [(segment: SegmentReader, block: Int)]
    private let decode: Decode
    private let window: Int
    private var results: [Int: Decoded] = [:]
    private var scheduled = 0
    private var consumed = 0
    private var cancelled = false
    /// Blocks decoded so far with and without a matching row: while at least one in five has none, the
    /// predicates' columns are decoded alone first; when nearly all match (a day's Failed records), that
    /// first pass would decode those columns twice for nothing. Before the first result, `testFirst`.
    private let testFirst: Bool
    private var blocksMatching = 0
    private var blocksNotMatching = 0
    private let lock = ConditionLock()

    init(_ candidates: [(segment: SegmentReader, block: Int)], window: Int = processorCount, testFirst: Bool,
         decode: @escaping Decode) {
        self.candidates = candidates
        self.testFirst = testFirst
        self.window = max(1, window)
        self.decode = decode
    }

    /// The next candidate block's result, in order, waiting for it; nil after the last.
    func next() -> Decoded? {
        lock.locked {
            guard consumed < candidates.count, !cancelled else { return nil }
            scheduleLocked()
            while results[consumed] == nil { lock.wait() }
            let result = results.removeValue(forKey: consumed)!
            consumed += 1
            scheduleLocked()
            return result
        }
    }

    /// No more blocks are wanted: those not started are not decoded, those done are dropped.
    func cancel() {
        lock.locked {
            cancelled = true
            results.removeAll()
        }
    }

    private func scheduleLocked() {
        while scheduled < min(candidates.count, consumed + window) {
            let index = scheduled
            scheduled += 1
            DispatchQueue.global().async { self.run(index) }
        }
    }

    private func run(_ index: Int) {
        guard let testFirst: Bool = lock.locked({
            if cancelled { return nil }
            return blocksMatching + blocksNotMatching == 0 ? self.testFirst : blocksNotMatching * 4 >= blocksMatching
        }) else { return }
        let (segment, block) = candidates[index]
        let result = Decoded { try decode(segment, block, testFirst) }
        lock.locked {
            if case .success(let found) = result {
                if found == nil { blocksNotMatching += 1 } else { blocksMatching += 1 }
            }
            if !cancelled { results[index] = result }
            lock.broadcast()
        }
    }
}
