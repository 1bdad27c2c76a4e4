import SMSFormat
import SMSRecords
import SMSSupport

/// Writes segment files.
package enum SegmentWriter {
    package struct Options {
        package var blockRows = SegmentLayout.defaultBlockRows
        package var compressionLevel = Zstd.defaultLevel
    }

    /// Writes the records of `builder` (sorted by time here) and `rejects` as a
    /// columnar segment at `path`, fsynced: version 2 unless a layout needs version 3, a chunk
    /// version 4 or a Bloom filter (one that holds correlationIds) version 5, so that older readers
    /// can still read what they could represent.
    package static func writeColumnar(_ builder: SegmentBuilder, rejects: [Reject], to path: String, options: Options) throws -> ColumnarFooter {
        let order = builder.sortedOrder()
        let bounds = blockBounds(order, builder: builder, blockRows: options.blockRows)
        // Blocks are independent: encode them on every core, write them in order.
        let encoded = parallelMap(bounds.count) { i in
            let rows = order[bounds[i]]
            return BlockEncoder.encode(builder.columns(of: rows, stringsAsIDs: true), level: options.compressionLevel)
        }
        let version = (builder.layouts.map(\.minimumVersion) + encoded.map(\.minimumVersion)).max() ?? SegmentVersion.columnar
        let file = try SegmentFileWriter(path: path, version: version, level: options.compressionLevel)
        let blocks = try encoded.map { try BlockEncoder.write($0, to: file) }
        let rejectChunk = rejects.isEmpty ? nil : try file.writeChunk(RejectCodec.encode(rejects), encoding: RejectCodec.encodingID)
        let footer = ColumnarFooter(columns: FieldSchema.columns, layouts: builder.layouts, blocks: blocks,
                                    rejectCount: rejects.count, rejects: rejectChunk)
        try file.finish(footer: footer.encoded(version: version))
        return footer
    }

    /// The rows of each block, as ranges of `order`: `blockRows` rows (at most the format's
    /// `maxBlockRows`), fewer once the rows hold `blockTextBudget` bytes of text. So a chunk holds
    /// at most the budget plus one record (a line convert takes), far below `maxChunkBytes`.
    static func blockBounds(_ order: [Int], builder: SegmentBuilder, blockRows: Int) -> [Range<Int>] {
        let rowLimit = min(max(blockRows, 1), SegmentLayout.maxBlockRows)
        var bounds: [Range<Int>] = []
        var start = 0, bytes = 0
        for (i, row) in order.enumerated() {
            if i - start == rowLimit || bytes >= SegmentLayout.blockTextBudget {
                bounds.append(start..<i)
                start = i
                bytes = 0
            }
            bytes += builder.textBytes(ofRow: row)
        }
        if start < order.count { bounds.append(start..<order.count) }
        return bounds
    }
}
