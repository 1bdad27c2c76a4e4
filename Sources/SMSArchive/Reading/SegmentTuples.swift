import SMSFormat
import SMSRecords
import SMSSupport

extension SegmentReader {
    /// Block `index`'s combined chunk as tuples (see `CombinedEncoding.Tuples`): for aggregates that
    /// count rows per combination of the combined columns without decoding any column's values.
    /// Nil when the block has no combined chunk (version 1, or a block whose columns all have
    /// chunks of their own), or when one of `columns` has a chunk of its own (then the combined
    /// chunk is not read): read the block with `readBatch` instead.
    ///
    /// The chunk is checked as `readBatch` checks it: its checksum, its encoding, a tuple id for
    /// every row, and no column both combined and in a chunk of its own.
    package func readTuples(_ index: Int, holding columns: [Int] = []) throws -> CombinedEncoding.Tuples? {
        guard version != SegmentVersion.rowDocuments else { return nil }
        let block = columnarBlocks[index]
        let ownChunks = Set(block.chunks.map(\.column))
        guard !columns.contains(where: ownChunks.contains), let ref = block.chunks.first(where: { $0.column == FieldSchema.combined }) else { return nil }
        let context = "\(path): block \(index) column \(FieldSchema.columns[FieldSchema.combined].name)"
        guard ref.chunk.encoding == ChunkEncodingID.combined.rawValue else {
            throw FormatError.damaged("\(context): encoding \(ref.chunk.encoding) cannot hold combined columns")
        }
        guard ref.valueCount == block.rowCount else {
            throw FormatError.damaged("\(context): \(ref.valueCount) rows for a block of \(block.rowCount)")
        }
        let tuples = try CombinedEncoding.decodeTuples(try chunk(ref.chunk, context: context), rowCount: block.rowCount, context: context)
        if let twice = tuples.columns.first(where: ownChunks.contains) {
            throw FormatError.damaged("\(context): column \(FieldSchema.columns[twice].name) stored twice")
        }
        return tuples
    }
}
