import CArrowInterface
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The state behind an exported `ArrowArrayStream`: its rows' source, its columns, and the last error.
final class StreamState {
    let columns: [OutputColumn]
    let batchRows: Int
    private let source: RowSource
    private let builder: BatchBuilder
    private var failure: String?
    fileprivate var lastError: UnsafeMutablePointer<CChar>?

    /// The most bytes of text in one column of a batch before it is cut short (offsets are 32-bit).
    static let textBytesPerBatch = 1 << 30

    init(source: RowSource, columns: [OutputColumn], batchRows: Int) {
        self.source = source
        self.columns = columns
        self.batchRows = batchRows
        builder = BatchBuilder(columns: columns)
    }

    deinit { free(lastError) }

    fileprivate func setError(_ text: String) {
        free(lastError)
        lastError = strdup(text)
    }

    /// Fills `out` with the next batch, or a released array at the end: 0, or an errno value on error.
    fileprivate func next(into out: UnsafeMutablePointer<ArrowArray>) -> Int32 {
        // A batch that failed halfway leaves the builder with some columns longer than others.
        if let failure {
            setError(failure)
            return EIO
        }
        do {
            while builder.rowCount < batchRows, builder.textBytes < Self.textBytesPerBatch,
                  let (batch, rows) = try source.next(limit: batchRows - builder.rowCount) {
                try builder.append(batch, rows: rows)
            }
        } catch {
            failure = message(error)
            setError(failure!)
            return EIO
        }
        if builder.rowCount == 0 {
            out.pointee = ArrowArray()   // release NULL: the end of the stream
        } else {
            builder.finish().export(into: out)
        }
        return 0
    }

    /// Makes `out` a stream over this state, which it then owns.
    func export(into out: UnsafeMutablePointer<ArrowArrayStream>) {
        out.pointee = ArrowArrayStream(get_schema: streamSchema, get_next: streamNext, get_last_error: streamLastError,
                                       release: streamRelease, private_data: Unmanaged.passRetained(self).toOpaque())
    }
}

private func state(_ stream: UnsafeMutablePointer<ArrowArrayStream>?) -> StreamState? {
    guard let data = stream?.pointee.private_data else { return nil }
    return Unmanaged<StreamState>.fromOpaque(data).takeUnretainedValue()
}

private func streamSchema(_ stream: UnsafeMutablePointer<ArrowArrayStream>?, _ out: UnsafeMutablePointer<ArrowSchema>?) -> Int32 {
    guard let state = state(stream), let out else { return EINVAL }
    exportSchema(state.columns, into: out)
    return 0
}

private func streamNext(_ stream: UnsafeMutablePointer<ArrowArrayStream>?, _ out: UnsafeMutablePointer<ArrowArray>?) -> Int32 {
    guard let state = state(stream), let out else { return EINVAL }
    return state.next(into: out)
}

private func streamLastError(_ stream: UnsafeMutablePointer<ArrowArrayStream>?) -> UnsafePointer<CChar>? {
    state(stream)?.lastError.map { UnsafePointer($0) }
}

private func streamRelease(_ stream: UnsafeMutablePointer<ArrowArrayStream>?) {
    guard let stream, let data = stream.pointee.private_data else { return }
    Unmanaged<StreamState>.fromOpaque(data).release()
    stream.pointee.release = nil
    stream.pointee.private_data = nil
}
