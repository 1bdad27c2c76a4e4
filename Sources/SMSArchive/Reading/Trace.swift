import SMSFormat
import SMSRecords

/// Where a record of a trace is: found by its columns, read whole once all are known.
private struct TraceHit: Hashable, Comparable {
    var time: Int64
    var segment: Int
    var block: Int
    var row: Int

    /// Time order; equal times in the order of a scan (manifest, block, row).
    static func < (a: TraceHit, b: TraceHit) -> Bool {
        (a.time, a.segment, a.block, a.row) < (b.time, b.segment, b.block, b.row)
    }

    var blockKey: Int64 { Int64(segment) << 32 | Int64(block) }
}

extension ArchiveReader {
    /// The story of each message in `messageIds`, in time order: every record with that MessageId
    /// (the send or the inbound message, and its delivery reports), and every record that shares a
    /// correlationId with one of them (the Usage record of a send, in the other category), across
    /// days and categories. A record is given once, even when it is found both ways.
    ///
    /// Records with the MessageIds are found through the blocks' Bloom filters; those with the
    /// correlationIds by reading the correlationId column of every block. Then only the blocks that
    /// hold a record of the trace are decoded whole, each once, and dropped after its last record.
    ///
    /// - Parameters:
    ///   - messageIds: the MessageIds, compared exactly.
    ///   - body: called with each record's batch and row, in time order (equal times in the order of
    ///     `scan`); return false to stop.
    /// - Returns: the MessageIds of `messageIds` that some record has.
    package func trace(messageIds: [String], _ body: (RecordBatch, Int) throws -> Bool) throws -> Set<String> {
        var hits = Set<TraceHit>()
        var found = Set<String>()
        var correlationIds = Set<String>()

        var byMessage = ScanQuery()
        byMessage.require(.messageId, anyOf: messageIds)
        try findRows(byMessage, decoding: [Column.messageId.position, Column.correlationId.position], into: &hits) { batch, row in
            if let id = batch.string(Column.messageId.position, row: row) { found.insert(id) }
            if let cid = batch.string(Column.correlationId.position, row: row), !cid.isEmpty { correlationIds.insert(cid) }
        }
        if !correlationIds.isEmpty {
            var byCorrelation = ScanQuery()
            byCorrelation.require(.correlationId, anyOf: Array(correlationIds))
            try findRows(byCorrelation, decoding: [Column.correlationId.position], into: &hits) { _, _ in }
        }

        let ordered = hits.sorted()
        var lastUse: [Int64: Int] = [:]
        for (i, hit) in ordered.enumerated() { lastUse[hit.blockKey] = i }
        var batches: [Int64: RecordBatch] = [:]
        for (i, hit) in ordered.enumerated() {
            let batch = try batches[hit.blockKey] ?? segment(hit.segment).readBatch(hit.block)
            batches[hit.blockKey] = lastUse[hit.blockKey] == i ? nil : batch
            guard try body(batch, hit.row) else { break }
        }
        return found
    }

    /// Adds the rows that match `query` to `hits`, decoding only `columns` (and the predicates'),
    /// and calls `each` with every one of them.
    private func findRows(_ query: ScanQuery, decoding columns: Set<Int>, into hits: inout Set<TraceHit>,
                          _ each: (RecordBatch, Int) -> Void) throws {
        var query = query
        query.columns = []
        query.alsoDecoded = columns
        for index in manifest.segments.indices where query.mayMatch(manifest.segments[index]) {
            let segment = try segment(index)
            for (block, summary) in segment.blocks.enumerated() where query.overlaps(summary) {
                let batch = try segment.readBatch(block, columns: query.decodedColumns)
                for row in query.matchingRows(batch) {
                    hits.insert(TraceHit(time: batch.times[row], segment: index, block: block, row: row))
                    each(batch, row)
                }
            }
        }
    }
}
