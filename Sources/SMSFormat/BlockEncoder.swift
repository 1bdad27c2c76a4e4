import SMSRecords
import SMSSupport

/// Encodes one block's columns: for each column it tries the encodings that
/// fit its type and keeps the one whose zstd-compressed form is smallest; then
/// it tries storing the low-cardinality columns together (`CombinedEncoding`)
/// and keeps that when it is smaller than their separate chunks.
package enum BlockEncoder {
    /// A column's best chunk, before it is written.
    package struct Pending {
        package var column: Int
        package var count: Int
        package var choice: EncodingChooser.Choice
        /// The oldest segment version that can hold the chunk.
        package var minimumVersion: UInt32 = SegmentVersion.columnar
    }

    /// A block encoded and compressed, ready to be written.
    package struct EncodedBlock {
        package var pending: [Pending]
        package var rowCount: Int
        package var minTime: Timestamp
        package var maxTime: Timestamp
        package var filter: BloomFilter
        /// The row links chunk (`RowLinkEncoding`, version 5), nil when the block stores none.
        package var links: EncodingChooser.Choice?
        /// The oldest segment version that can hold the block's filter (one with correlationIds:
        /// version 5) and its row links chunk.
        package var formVersion: UInt32 = SegmentVersion.columnar

        /// The oldest segment version that can hold the block's chunks, filter and links.
        package var minimumVersion: UInt32 { max(formVersion, pending.map(\.minimumVersion).max() ?? SegmentVersion.columnar) }
    }

    /// Writes an encoded block's chunks and returns its index entry.
    package static func write(_ block: EncodedBlock, to file: SegmentFileWriter) throws -> ColumnarBlockInfo {
        var chunks: [ColumnChunkRef] = []
        for p in block.pending {
            let ref = try file.writeCompressedChunk(p.choice.compressed, rawLength: p.choice.rawLength, encoding: p.choice.encoding)
            chunks.append(ColumnChunkRef(column: p.column, valueCount: p.count, chunk: ref))
        }
        let links = try block.links.map { try file.writeCompressedChunk($0.compressed, rawLength: $0.rawLength, encoding: $0.encoding) }
        return ColumnarBlockInfo(rowCount: block.rowCount, minTime: block.minTime, maxTime: block.maxTime, chunks: chunks,
                                 filter: block.filter, links: links)
    }

    /// Encodes and compresses a block (no I/O: blocks of a segment are encoded in parallel).
    ///
    /// - Parameter version: the form to write. Version 5 (the default) stores the row links in their
    ///   own chunk, so that every column decodes without the others' values, and puts correlationIds
    ///   in the Bloom filter. `SegmentVersion.linkedColumns` encodes as a version-4 writer did: the
    ///   links are derived from the identifier chunks' repeats when read, and the filter holds no
    ///   correlationId. Only tests write that form now, to keep its reader honest.
    package static func encode(_ block: BlockColumns, level: Int32, version: UInt32 = SegmentLayout.currentVersion) -> EncodedBlock {
        let storesLinks = version >= SegmentVersion.columnsAlone
        let zstd = Zstd.Compressor()
        var pending: [Pending] = []
        func choose(_ column: Int, _ count: Int, _ candidates: [(ChunkEncodingID, [UInt8])]) {
            let choice = EncodingChooser.smallest(candidates, level: level, zstd: zstd)
            pending.append(Pending(column: column, count: count, choice: choice,
                                   minimumVersion: ChunkEncodingID(rawValue: choice.encoding)!.minimumVersion))
        }

        var timeCandidates: [(ChunkEncodingID, [UInt8])] = [(.deltaVarint, DeltaVarintEncoding.encode(block.times))]
        if let rice = RiceDeltaEncoding.encode(block.times) { timeCandidates.append((.riceDelta, rice)) }
        choose(FieldSchema.time, block.times.count, timeCandidates)
        choose(FieldSchema.layout, block.layoutIDs.count, integerCandidates(block.layoutIDs))
        let distinct = distinctStrings(block)
        // The identifiers as UTF-8, as the segment builder gives them (or made so from strings).
        var identifiers = block.identifiers
        for column in identifierColumns where identifiers[column] == nil {
            if let values = block.strings[column] { identifiers[column] = TextColumn(values) }
        }
        if let residuals = distinct[FieldSchema.residual] {
            choose(FieldSchema.residual, residuals.ids.count, stringCandidates(residuals))
        }
        // The link columns are always stored with their repeats, which are the rows' links.
        var repeats: [Int: [Int32]] = [:]
        for column in RowLinks.sourceColumns {
            if let values = identifiers[column], !values.isEmpty { repeats[column] = IdentifierEncoding.repeatSources(values) }
        }
        var rowIndexes = RowIndexes(block)
        let rowLinks = links(block, repeats: repeats, rowIndexes: &rowIndexes)
        var linksChunk: EncodingChooser.Choice?
        if storesLinks, let rowLinks {
            let raw = RowLinkEncoding.encode(rowLinks)
            linksChunk = EncodingChooser.Choice(encoding: RowLinkEncoding.encodingID, rawLength: raw.count, compressed: zstd.compress(raw, level: level))
        }
        // Each column's separate candidates (not the identifiers'), and its value count.
        var valueLinksByPresence: [RowIndexes.Presence: [Int32]] = [:]
        func candidates(of column: Int) -> (count: Int, candidates: [(ChunkEncodingID, [UInt8])])? {
            if let ids = distinct[column] {
                var candidates = stringCandidates(ids)
                if let rowLinks, !isLarge(ids) {
                    let presence = rowIndexes.presence(of: column)
                    let valueLinks = valueLinksByPresence[presence] ?? RowLinks.values(rowLinks: rowLinks, rowIndex: rowIndexes.of(column))
                    valueLinksByPresence[presence] = valueLinks
                    candidates.append((.linkedStrings, LinkedStringEncoding.encode(ids, links: valueLinks)))
                }
                return (ids.ids.count, candidates)
            } else if let values = block.integers[column], !values.isEmpty {
                return (values.count, integerCandidates(values))
            }
            return nil
        }
        // The combined chunk first: on real exports it is a third the size of its columns' separate
        // chunks, in every block. Those are then only compared at the trial level, not also
        // compressed at `level` to be thrown away.
        var tupleIDs: [Int32]?
        var separate: [Int: (count: Int, candidates: [(ChunkEncodingID, [UInt8])])] = [:]
        if let combined = combinedChunk(block, distinct: distinct, rowIndexes: &rowIndexes, level: level, zstd: zstd) {
            var separateBytes = 0
            for column in combined.columns {
                let made = candidates(of: column)!
                separate[column] = made
                separateBytes += EncodingChooser.smallestTrial(made.candidates, level: level, zstd: zstd)
            }
            if combined.choice.compressed.count < separateBytes {
                pending.append(Pending(column: FieldSchema.combined, count: block.times.count, choice: combined.choice))
                tupleIDs = combined.tupleIDs
            }
        }
        for column in FieldSchema.category..<FieldSchema.combined where !identifierColumns.contains(column) {
            if tupleIDs != nil, separate[column] != nil { continue }   // in the combined chunk
            guard let made = separate[column] ?? candidates(of: column) else { continue }
            choose(column, made.count, made.candidates)
        }
        // Identifiers last: their `rowIdentifiers` form groups values by layout and combined tuple.
        let groups = IdentifierEncoding.rowGroups(layoutIDs: block.layoutIDs, tupleIDs: tupleIDs)
        for column in identifierColumns.sorted() {
            guard let values = identifiers[column], !values.isEmpty else { continue }
            let index = rowIndexes.of(column)
            let rows = (0..<block.times.count).filter { index[$0] >= 0 }
            if repeats[column] == nil { repeats[column] = IdentifierEncoding.repeatSources(values) }
            // With stored links, a repeat of the linked row's value costs only its kind (7).
            let linked = storesLinks ? rowLinks.map { RowLinks.values(rowLinks: $0, rowIndex: index) } : nil
            let forms = IdentifierEncoding.encodeForms(values, repeats: repeats[column]!,
                                                       rows: IdentifierEncoding.Rows(times: rows.map { block.times[$0] }, groups: rows.map { groups[$0] }),
                                                       linked: linked)
            var candidates = [identifierForm(forms, level: level, zstd: zstd)]
            // Link columns keep their repeats whatever is chosen. Plain text only when at least half
            // the values are literals: it cannot beat the packed GUIDs and MessageIds (it never won
            // on the benchmark, where RecordIds are GUIDs, and was a large trial).
            if !RowLinks.sourceColumns.contains(column), forms.literals * 2 >= values.count {
                candidates.append((.plainStrings, PlainStringEncoding.encode(values)))
            }
            choose(column, values.count, candidates)
        }
        pending.sort { $0.column < $1.column }

        // A block with correlationIds holds them in its filter too, which needs version 5.
        let correlationIDs = identifiers[FieldSchema.correlationId].map { !$0.isEmpty } ?? false
        let filterVersion = storesLinks && correlationIDs ? SegmentVersion.columnsAlone : SegmentVersion.columnar
        // Each filtered column's distinct values: an identifier's are its first occurrences (the
        // values that repeat no earlier one), as UTF-8.
        let filtered = FieldSchema.filtered(version: filterVersion).map { column -> (column: Int, count: Int, strings: [String], firsts: (TextColumn, [Int32])?) in
            if let text = identifiers[column], let r = repeats[column] { return (column, r.reduce(0) { $0 + ($1 < 0 ? 1 : 0) }, [], (text, r)) }
            let values = filterValues(block, column: column, distinct: distinct)
            return (column, values.count, values, nil)
        }
        // correlationIds get 5 bits a value, the others 6: they are the most values (a fresh one per
        // send and per delivery report), and at 6 bits they would have grown the archive by 1.8%.
        let filterBits = filtered.reduce(0) { $0 + $1.count * ($1.column == FieldSchema.correlationId ? 5 : BloomFilter.bitsPerValue) }
        var filter = BloomFilter(bitCount: filterBits)
        var scratch: [UInt8] = []
        for (column, _, strings, firsts) in filtered {
            for value in strings { withUTF8(value) { filter.insert(column: column, utf8: $0, scratch: &scratch) } }
            guard let (text, repeatOf) = firsts else { continue }
            text.withValues { values in
                for i in 0..<values.count where repeatOf[i] < 0 { filter.insert(column: column, utf8: values[i], scratch: &scratch) }
            }
        }
        return EncodedBlock(pending: pending, rowCount: block.times.count, minTime: Timestamp(ticks: block.times.min()!),
                            maxTime: Timestamp(ticks: block.times.max()!), filter: filter, links: linksChunk,
                            formVersion: linksChunk == nil ? filterVersion : SegmentVersion.columnsAlone)
    }

    /// The smaller of an identifier column's two forms, compared by the streams they differ in:
    /// the rest (packed GUIDs, mostly random bits) is most of the bytes, the same in both, and was
    /// most of the trials' time. Forms that are the same bytes (no MessageIds, and the kinds in
    /// the same order) need no trial at all.
    private static func identifierForm(_ forms: IdentifierEncoding.Forms, level: Int32, zstd: Zstd.Compressor) -> (ChunkEncodingID, [UInt8]) {
        guard let rowForm = forms.rowIdentifiers, let differing = forms.differing, rowForm != forms.identifiers else {
            return (.identifiers, forms.identifiers)
        }
        let trialLevel = min(level, EncodingChooser.trialCompressionLevel)
        let rowWins = zstd.compressedSize(differing.rowIdentifiers, level: trialLevel) < zstd.compressedSize(differing.identifiers, level: trialLevel)
        return rowWins ? (.rowIdentifiers, rowForm) : (.identifiers, forms.identifiers)
    }

    /// The distinct values of `column` for the Bloom filter, from what is already known of them.
    private static func filterValues(_ block: BlockColumns, column: Int, distinct: [Int: DistinctIDs<String>]) -> [String] {
        if let d = distinct[column] { return d.values }
        guard let values = block.strings[column] else { return [] }
        return DistinctIDs(values).values
    }

    /// The first-occurrence ids of the residuals and of every string column but the
    /// identifiers that have values: from the segment's string ids when the block has them,
    /// else by hashing.
    private static func distinctStrings(_ block: BlockColumns) -> [Int: DistinctIDs<String>] {
        var scratch = [Int32](repeating: -1, count: block.stringIDs.isEmpty ? 0 : block.segmentStrings.count)
        var result: [Int: DistinctIDs<String>] = [:]
        for column in [FieldSchema.residual] + Array(FieldSchema.category..<FieldSchema.combined) where !identifierColumns.contains(column) {
            if let keys = block.stringIDs[column] {
                if !keys.isEmpty { result[column] = DistinctIDs(keys: keys, strings: block.segmentStrings, scratch: &scratch) }
            } else if let values = column == FieldSchema.residual ? block.residuals : block.strings[column], !values.isEmpty {
                result[column] = DistinctIDs(values)
            }
        }
        return result
    }

    /// Each row's linked row (see `RowLinks`), or nil when no row has one.
    private static func links(_ block: BlockColumns, repeats: [Int: [Int32]], rowIndexes: inout RowIndexes) -> [Int32]? {
        let sources = RowLinks.sourceColumns.map { (rowIndex: rowIndexes.of($0), repeatOf: repeats[$0]) }
        guard let links = try? RowLinks.rows(rowCount: block.times.count, sources: sources, context: "") else { return nil }
        return links.contains { $0 >= 0 } ? links : nil
    }

    /// The combined chunk of the block's low-cardinality columns, chosen greedily
    /// (fewest distinct values first) while the number of distinct rows stays small.
    private static func combinedChunk(_ block: BlockColumns, distinct: [Int: DistinctIDs<String>], rowIndexes: inout RowIndexes, level: Int32, zstd: Zstd.Compressor)
        -> (columns: Set<Int>, choice: EncodingChooser.Choice, tupleIDs: [Int32])? {
        let rows = block.times.count
        let tupleLimit = max(64, rows / 32)
        var candidates: [(column: Int, distinct: Int, values: CombinedEncoding.Distinct)] = []
        for column in FieldSchema.category..<FieldSchema.combined where !identifierColumns.contains(column) {
            if let ids = distinct[column] {
                if ids.count <= tupleLimit { candidates.append((column, ids.count, .strings(ids))) }
            } else if let values = block.integers[column], !values.isEmpty {
                let ids = DistinctIDs(values)
                if ids.count <= tupleLimit { candidates.append((column, ids.count, .integers(ids))) }
            }
        }
        candidates.sort { $0.distinct < $1.distinct }

        // Per column, each row's index into its values (nil when the row has none).
        var indexOf: [Int: [Int32]] = [:]
        for (column, _, _) in candidates {
            indexOf[column] = rowIndexes.of(column)
        }
        // Greedy: add a column while the distinct combinations stay under the limit. The tuples
        // counted are the chunk's own, so the chunk is written from them, not built again.
        var group: [(column: Int, values: CombinedEncoding.Distinct)] = []
        var tuples = CombinedEncoding.TupleBuilder(rowCount: rows)
        for (column, _, values) in candidates where tuples.add(ids: values.ids, rowIndex: indexOf[column]!, limit: tupleLimit) {
            group.append((column, values))
        }
        guard group.count >= 2 else { return nil }
        let raw = CombinedEncoding.encode(columns: group, tuples: tuples)
        let tupleIDs = tuples.tupleOfRow
        return (Set(group.map(\.column)), EncodingChooser.smallest([(.combined, raw)], level: level, zstd: zstd), tupleIDs)
    }

    package static func integerCandidates(_ values: [Int64]) -> [(ChunkEncodingID, [UInt8])] {
        var candidates: [(ChunkEncodingID, [UInt8])] = [(.varint, VarintEncoding.encode(values)), (.deltaVarint, DeltaVarintEncoding.encode(values))]
        if let packed = BitPackedEncoding.encode(values) { candidates.append((.bitPacked, packed)) }
        return candidates
    }

    /// Columns whose values are mostly distinct identifiers.
    package static let identifierColumns: Set<Int> = Set(["correlationId", "MessageId", "RecordId"].compactMap(FieldSchema.column(named:)))
    /// `identifierColumns` as a bit per column, for the per-value test on the hot path.
    package static let identifierColumnMask: UInt64 = identifierColumns.reduce(0) { $0 | 1 << UInt64($1) }

    /// The candidates of a column that is not an identifier, given as first-occurrence ids.
    package static func stringCandidates(_ values: DistinctIDs<String>) -> [(ChunkEncodingID, [UInt8])] {
        // Each candidate holds every distinct value: with large values (a record near the line limit)
        // only the dictionary is tried, so that memory stays a small multiple of the values.
        if isLarge(values) { return [(.dictionaryStrings, DictionaryStringEncoding.encode(values))] }
        // Plain text only when at least half the values are distinct: with more repeats the
        // dictionary holds the same text once and a small id a value, and on the benchmark's
        // exports plain never won such a column by more than a byte, while its text (every value's)
        // was the largest input to the trial compressions.
        let dictionary = (ChunkEncodingID.dictionaryStrings, DictionaryStringEncoding.encode(values))
        guard values.count * 2 >= values.ids.count else { return [dictionary] }
        return [(.plainStrings, PlainStringEncoding.encode(values)), dictionary]
    }

    /// Whether the distinct values hold more than 8 MiB: then one encoding is tried, not several.
    package static func isLarge(_ values: DistinctIDs<String>) -> Bool {
        var bytes = 0
        for value in values.values {
            bytes += value.utf8.count
            if bytes > 8 << 20 { return true }
        }
        return false
    }
}
