/// Encodes one block's columns: for each column it tries the encodings that
/// fit its type and keeps the one whose zstd-compressed form is smallest.
enum BlockEncoder {
    static func write(_ block: BlockColumns, to file: SegmentFileWriter) throws -> ColumnarBlockInfo {
        var chunks: [ColumnChunkRef] = []
        func store(_ column: Int, _ count: Int, _ candidates: [(ChunkEncodingID, [UInt8])]) throws {
            let choice = EncodingChooser.smallest(candidates, level: file.level)
            let ref = try file.writeChunk(choice.raw, encoding: choice.encoding, compressed: choice.compressed)
            chunks.append(ColumnChunkRef(column: column, valueCount: count, chunk: ref))
        }

        try store(FieldSchema.time, block.times.count, [(.deltaVarint, DeltaVarintEncoding.encode(block.times))])
        try store(FieldSchema.layout, block.layoutIDs.count, integerCandidates(block.layoutIDs))
        if !block.residuals.isEmpty {
            try store(FieldSchema.residual, block.residuals.count, stringCandidates(block.residuals, column: FieldSchema.residual))
        }
        for column in FieldSchema.category..<FieldSchema.columns.count {
            if let values = block.strings[column], !values.isEmpty {
                try store(column, values.count, stringCandidates(values, column: column))
            } else if let values = block.integers[column], !values.isEmpty {
                try store(column, values.count, integerCandidates(values))
            }
        }

        var filterValues = 0
        for column in FieldSchema.filtered { filterValues += Set(block.strings[column] ?? []).count }
        var filter = BloomFilter(expectedValues: filterValues)
        for column in FieldSchema.filtered {
            for value in Set(block.strings[column] ?? []) { filter.insert(column: column, value: value) }
        }
        return ColumnarBlockInfo(rowCount: block.times.count, minTime: Timestamp(ticks: block.times.min()!),
                                 maxTime: Timestamp(ticks: block.times.max()!), chunks: chunks, filter: filter)
    }

    static func integerCandidates(_ values: [Int64]) -> [(ChunkEncodingID, [UInt8])] {
        var candidates: [(ChunkEncodingID, [UInt8])] = [(.varint, VarintEncoding.encode(values)), (.deltaVarint, DeltaVarintEncoding.encode(values))]
        if let packed = BitPackedEncoding.encode(values) { candidates.append((.bitPacked, packed)) }
        return candidates
    }

    /// Columns whose values are mostly distinct identifiers.
    static let identifierColumns: Set<Int> = Set(["correlationId", "MessageId", "RecordId"].compactMap(FieldSchema.column(named:)))

    static func stringCandidates(_ values: [String], column: Int) -> [(ChunkEncodingID, [UInt8])] {
        if identifierColumns.contains(column) {
            return [(.plainStrings, PlainStringEncoding.encode(values)), (.identifiers, IdentifierEncoding.encode(values))]
        }
        return [(.plainStrings, PlainStringEncoding.encode(values)), (.dictionaryStrings, DictionaryStringEncoding.encode(values))]
    }
}
