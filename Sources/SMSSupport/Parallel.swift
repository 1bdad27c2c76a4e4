import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// The number of cores to use.
package let processorCount = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))

/// `(0..<count).map(body)`, computed on all cores; results in order.
/// `body` must only read shared state.
package func parallelMap<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
    guard count > 1, processorCount > 1 else { return (0..<count).map(body) }
    let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
    results.initialize(repeating: nil)
    defer {
        // Deinitialize before deallocating: otherwise every result (a segment's encoded
        // blocks) stays retained, and memory grows with each segment of a long run.
        results.deinitialize()
        results.deallocate()
    }
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let body = body
        nonisolated(unsafe) let results = results
        DispatchQueue.concurrentPerform(iterations: count) { i in results[i] = body(i) }
    }
    return results.map { $0! }
}
