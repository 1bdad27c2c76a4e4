import SMSSupport

/// Prints whole records as JSON Lines on every core, in the order they come.
///
/// Writing JSON text is most of a full scan's time, while the merge of segments and the
/// decoding of blocks are not: so the merge stays on the calling thread and hands rows over,
/// and each window of rows is written by all cores at once, in slices, then printed in order.
/// The output is byte for byte what `writeJSON(row:to:)` and a line end give one row at a time,
/// and a row that cannot be written stops it where a row-at-a-time writer would stop.
package struct ParallelJSONLines {
    private let write: ([UInt8]) -> Void
    /// The batches that rows of the window come from (each prepared for concurrent writes).
    private var batches: [RecordBatch] = []
    /// The window's rows: an index into `batches`, and the row in that batch.
    private var rows: [(batch: Int32, row: Int32)] = []
    /// Rows per window: large enough that each core's slice is worth a thread, small enough
    /// that the window's text stays a few megabytes.
    package static let windowRows = 16_384
    /// Blocks a window may hold decoded: a sparse scan (one phone number over a week) meets a few
    /// matching rows in each of many blocks, and a window of rows would keep every block decoded.
    package static let windowBatches = 4

    /// Lines are handed to `write` in order, a window's worth at a time.
    package init(write: @escaping ([UInt8]) -> Void) {
        self.write = write
        rows.reserveCapacity(Self.windowRows)
    }

    /// Takes row `row` of `batch`; the window is written when full.
    package mutating func add(_ batch: RecordBatch, row: Int) throws {
        if batches.last !== batch {
            if batches.count >= Self.windowBatches { try flush() }
            batch.prepareForConcurrentWrites()
            batches.append(batch)
        }
        rows.append((Int32(batches.count - 1), Int32(row)))
        if rows.count >= Self.windowRows { try flush() }
    }

    /// Writes what the window holds.
    package mutating func finish() throws {
        try flush()
    }

    private mutating func flush() throws {
        guard !rows.isEmpty else { return }
        let slices = max(1, min(processorCount * 2, rows.count / 512))
        let sliceRows = (rows.count + slices - 1) / slices
        let batches = self.batches, rows = self.rows
        // Each slice's text up to its first failing row, and that failure: printed in order, a
        // damaged row stops the output exactly where a one-row-at-a-time scan would stop.
        let texts = parallelMap(slices) { slice -> (text: [UInt8], error: (any Error)?) in
            var text: [UInt8] = []
            text.reserveCapacity(sliceRows * 800)
            for i in slice * sliceRows..<min(rows.count, (slice + 1) * sliceRows) {
                let lineStart = text.count
                do {
                    try batches[Int(rows[i].batch)].writeJSON(row: Int(rows[i].row), to: &text)
                } catch {
                    // What the failing row had written so far is not a line.
                    text.removeSubrange(lineStart...)
                    return (text, error)
                }
                text.append(0x0A)
            }
            return (text, nil)
        }
        self.rows.removeAll(keepingCapacity: true)
        self.batches.removeAll(keepingCapacity: true)
        for (text, error) in texts {
            write(text)
            if let error { throw error }
        }
    }
}
