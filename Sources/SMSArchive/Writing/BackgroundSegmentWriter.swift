#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import SMSSupport

/// Writes segments on threads of their own, so that collecting the next segment (and reading the
/// input) goes on while one is sorted, encoded and written. While records are being collected, at
/// most one segment is in flight: `submit` waits for it, which keeps memory at two segments' worth
/// (one written, one collected). The last segments of a run, submitted `alongside`, are written two
/// at a time beside it: nothing is being collected any more, and the cores need not wait on one
/// segment's last block.
package final class BackgroundSegmentWriter: Sendable {
    private struct State {
        /// Segments written, by the order they were submitted in.
        var written: [Int: SegmentEntry] = [:]
        var submitted = 0
        var error: (any Error)?
    }

    private let queue = DispatchQueue(label: "smsarchive.segment-writer", attributes: .concurrent)
    private let jobs = DispatchGroup()
    private let inFlight = DispatchSemaphore(value: 1)
    private let alongsideSlots = DispatchSemaphore(value: 2)
    /// Under a pthread mutex (`LockedValue`), not Synchronization's `Mutex`: segments are written
    /// side by side, and the thread sanitizer does not see that one's ordering.
    private let state = LockedValue(State())

    /// Runs `job` in the background: once the segment before it is done, or, `alongside`, beside it
    /// (once fewer than two others submitted alongside are running).
    /// Throws the error of an earlier job, if one failed (then `job` is not run).
    package func submit(alongside: Bool = false, _ job: @escaping () throws -> SegmentEntry) throws {
        let slot = alongside ? alongsideSlots : inFlight
        slot.wait()
        let (index, error) = state.withLock { state in
            defer { state.submitted += 1 }
            return (state.submitted, state.error)
        }
        if let error {
            slot.signal()
            throw error
        }
        nonisolated(unsafe) var job: (() throws -> SegmentEntry)? = job
        queue.async(group: jobs) { [self] in
            defer { slot.signal() }
            do {
                let entry = try job!()
                state.withLock { $0.written[index] = entry }
            } catch {
                state.withLock { $0.error = $0.error ?? error }
            }
            // Free the segment's buffers (the job holds its builder), then give them back to the
            // system: without this, fragmentation lets peak memory creep up with every segment.
            job = nil
            #if canImport(Glibc)
            _ = glibcMallocTrim(0)
            #endif
        }
    }

    /// Waits for every job; the segments written, in the order submitted, or the first error.
    package func drain() throws -> [SegmentEntry] {
        jobs.wait()
        let (written, error) = state.withLock { ($0.written, $0.error) }
        if let error { throw error }
        return written.keys.sorted().map { written[$0]! }
    }

    /// Waits for every job; the segments written, whether or not one failed.
    package func drainIgnoringErrors() -> [SegmentEntry] {
        jobs.wait()
        let written = state.withLock { $0.written }
        return written.keys.sorted().map { written[$0]! }
    }
}

#if canImport(Glibc)
/// glibc's `malloc_trim` (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
