#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// Writes segments on a thread of its own, one at a time, so that collecting the
/// next segment (and reading the input) goes on while one is sorted, encoded and
/// written. At most one segment is in flight: `submit` waits for it, which keeps
/// memory at two segments' worth (one written, one collected).
package final class BackgroundSegmentWriter: Sendable {
    private struct State {
        var written: [SegmentEntry] = []
        var error: (any Error)?
    }

    private let queue = DispatchQueue(label: "smsarchive.segment-writer")
    private let inFlight = DispatchSemaphore(value: 1)
    private let state = Mutex(State())

    /// Runs `job` in the background once the segment before it is done. Throws the
    /// error of an earlier job, if one failed (then `job` is not run).
    package func submit(_ job: @escaping () throws -> SegmentEntry) throws {
        inFlight.wait()
        if let error = state.withLock({ $0.error }) {
            inFlight.signal()
            throw error
        }
        nonisolated(unsafe) var job: (() throws -> SegmentEntry)? = job
        queue.async { [self] in
            defer { inFlight.signal() }
            do {
                let entry = try job!()
                state.withLock { $0.written.append(entry) }
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
        queue.sync {}
        let (written, error) = state.withLock { ($0.written, $0.error) }
        if let error { throw error }
        return written
    }

    /// Waits for every job; the segments written, whether or not one failed.
    package func drainIgnoringErrors() -> [SegmentEntry] {
        queue.sync {}
        return state.withLock { $0.written }
    }
}

#if canImport(Glibc)
/// glibc's `malloc_trim` (declared in <malloc.h>, which the Glibc module does not export).
@_silgen_name("malloc_trim")
private func glibcMallocTrim(_ pad: Int) -> Int32
#endif
