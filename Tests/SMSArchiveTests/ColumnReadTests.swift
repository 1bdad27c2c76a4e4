import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSIngest
@testable import SMSRecords
@testable import SMSSupport

/// Segment version 5: a column reads alone. Counting by Country or PhoneNumber reads the layout
/// column and that column's chunk, never the identifiers or the times; the row links live in their
/// own chunk; correlationIds are in the Bloom filters. Version-4 segments (row links derived from
/// identifier repeats) read back the same records. Expected values come from the raw export JSON.
@Suite struct ColumnReadTests {
    /// The generator's export (sends, delivery reports, usage records), its raw records, and the
    /// archive converted from it in small blocks.
    struct Fixture {
        var folder: TemporaryFolder
        var export: String
        var archive: String
        var records: [[String: Any]]
    }

    static let blockRows = 500

    static func fixture() throws -> Fixture {
        let folder = TemporaryFolder()
        let export = folder.path + "/export"
        let generator = try ChildProcess.run(["/usr/bin/env", "python3", repositoryRoot + "/bench/generate_export.py",
                                              "--records", "3000", "--hours", "30", "--gzip-fraction", "0", "--out", export])
        #expect(generator.status == 0, "\(generator.stderr)")
        var options = ArchiveWriter.Options()
        options.blockRows = blockRows
        let archive = try ArchiveRoundTripTests.convert([export], into: folder, options: options)
        var records: [[String: Any]] = []
        for path in try FileManager.default.subpathsOfDirectory(atPath: export) where path.hasSuffix(".json") {
            for line in try String(contentsOfFile: export + "/" + path, encoding: .utf8).split(separator: "\n") {
                records.append(try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]))
            }
        }
        return Fixture(folder: folder, export: export, archive: archive, records: records)
    }

    /// A field of a raw record, top level or under `properties`, its name matched ignoring case.
    static func field(_ record: [String: Any], _ name: String) -> String? {
        for object in [record, record["properties"] as? [String: Any] ?? [:]] {
            if let (_, value) = object.first(where: { $0.key.lowercased() == name.lowercased() }) { return value as? String }
        }
        return nil
    }

    static func countsByScanBatches(_ archive: String, _ column: Column) throws -> (counts: [String: Int], timeReads: Int) {
        var query = ScanQuery()
        query.columns = [column]
        var counts: [String: Int] = [:]
        let reader = try ArchiveReader(path: archive)
        try reader.scanBatches(query) { batch, rows in
            let (dictionary, ids) = batch.stringColumn(column)
            for row in rows where ids[row] >= 0 { counts[dictionary[Int(ids[row])], default: 0] += 1 }
            return true
        }
        return (counts, try reader.segments.reduce(0) { $0 + ($1.chunkReads[FieldSchema.time] ?? 0) })
    }

    @Test func countryAndPhoneReadsDecodeOnlyTheirColumn() throws {
        let f = try Self.fixture()
        let reader = try ArchiveReader(path: f.archive)
        let identifiers = Set([Column.messageId, .correlationId].map(\.position) + [FieldSchema.column(named: "RecordId")!])
        var linkedChunks = 0, linkBlocks = 0
        for segment in try reader.segments {
            #expect(segment.version == SegmentVersion.columnsAlone)
            for (i, block) in segment.columnarBlocks.enumerated() {
                if block.links != nil { linkBlocks += 1 }
                linkedChunks += block.chunks.filter { $0.chunk.encoding == ChunkEncodingID.linkedStrings.rawValue }.count
                for column in [Column.country, .phoneNumber] {
                    let before = segment.chunkReads
                    let batch = try segment.readBatch(i, columns: [column.position], times: false)
                    let read = segment.chunkReads.filter { $0.value != before[$0.key] }.keys
                    // Its own chunk (or the combined one holding it), and the layouts that place values in rows.
                    #expect(Set(read).isSubset(of: [FieldSchema.layout, column.position, FieldSchema.combined]), "\(read)")
                    #expect(Set(read).isDisjoint(with: identifiers))
                    // Times not asked for are decoded when first read, and are the block's times.
                    #expect(batch.times == (try segment.readBatch(i).times))
                    #expect(segment.chunkReads[FieldSchema.time] != before[FieldSchema.time])
                }
            }
        }
        // The fixture exercises the stored links: linked phone numbers and countries, and row links chunks.
        #expect(linkedChunks > 0)
        #expect(linkBlocks > 0)

        for (column, name) in [(Column.country, "Country"), (Column.phoneNumber, "PhoneNumber")] {
            var expected: [String: Int] = [:]
            for record in f.records { if let v = Self.field(record, name) { expected[v, default: 0] += 1 } }
            let (counts, timeReads) = try Self.countsByScanBatches(f.archive, column)
            #expect(counts == expected)
            #expect(timeReads == 0, "no time range and no time column asked for: times stay undecoded")
        }
    }

    @Test func timesAreDecodedWhenAskedForOrNeeded() throws {
        let f = try Self.fixture()
        let reader = try ArchiveReader(path: f.archive)
        var query = ScanQuery()
        query.columns = [.country, .time]
        var rows = 0
        try reader.scanBatches(query) { batch, _ in
            #expect(batch.times.count == batch.count)
            rows += batch.count
            return true
        }
        #expect(rows == f.records.count)
        // A time range needs the times to test it.
        var ranged = ScanQuery(from: Timestamp(queryBound: "2026-10-01T05:00"), to: Timestamp(queryBound: "2026-10-01T06:00"))
        ranged.columns = [.country]
        var matched = 0
        try reader.scanBatches(ranged) { batch, rows in
            #expect(batch.times.count == batch.count)
            matched += rows.count
            return true
        }
        let expected = f.records.filter { r in
            let t = (Self.field(r, "time") ?? Self.field(r, "TimeGenerated") ?? "")
            return t >= "2026-10-01T05:00" && t < "2026-10-01T06:00"
        }.count
        #expect(matched == expected)
        #expect(expected > 0)
        // Residual members need the layouts, which a category-only read does not decode.
        var categories = ScanQuery()
        categories.columns = [.category]
        try reader.scanBatches(categories) { batch, _ in
            #expect(throws: ArchiveError.self) { _ = try batch.memberValue(named: "anything", row: 0) }
            return false
        }
    }

    @Test func correlationIdLookupsSkipBlocksByBloomFilter() throws {
        let f = try Self.fixture()
        let withCid = f.records.filter { Self.field($0, "correlationId") != nil }
        let wanted = try #require(Self.field(withCid[withCid.count / 2], "correlationId"))
        let expected = withCid.filter { Self.field($0, "correlationId") == wanted }.count
        var query = ScanQuery()
        query.require(.correlationId, anyOf: [wanted])

        let reader = try ArchiveReader(path: f.archive)
        var found = 0
        try reader.scan(query) { _, _ in found += 1; return true }
        #expect(found == expected)
        let blocks = try reader.segments.reduce(0) { $0 + $1.blocks.count }
        #expect(blocks >= 6)
        // The filters let through the blocks that hold it (a send and its usage record: one or two)
        // and few others; without filters every block's correlationId column would be read.
        #expect(reader.blocksRead <= 3, "\(reader.blocksRead) of \(blocks) blocks read")
        for segment in try reader.segments {
            for (i, block) in segment.blocks.enumerated() {
                #expect(block.filterColumns.contains(Column.correlationId.position))
                let batch = try segment.readBatch(i, columns: [Column.correlationId.position])
                for row in 0..<batch.count {
                    if let id = batch.string(.correlationId, row: row) {
                        #expect(block.filter!.mayContain(column: Column.correlationId.position, value: id))
                    }
                }
            }
        }
    }

    @Test func versionFourArchivesReadBackTheSameRecords() throws {
        let f = try Self.fixture()
        let copy = f.folder.path + "/v4.smsa"
        try FileManager.default.copyItem(atPath: f.archive, toPath: copy)
        try SegmentWriter.rewriteAsVersion4(copy, blockRows: Self.blockRows)
        let old = try ArchiveReader(path: copy)
        var linked = 0
        for segment in try old.segments {
            #expect(segment.version == SegmentVersion.linkedColumns)
            for block in segment.columnarBlocks {
                #expect(block.links == nil)
                linked += block.chunks.filter { $0.chunk.encoding == ChunkEncodingID.linkedStrings.rawValue }.count
            }
            #expect(segment.blocks.allSatisfy { $0.filterColumns == FieldSchema.filtered })
        }
        #expect(linked > 0, "the version-4 fixture has linkedStrings chunks")
        // Every record, byte for byte, in the same order, and the same column aggregates.
        #expect(try ArchiveRoundTripTests.scanAll(copy).map(\.document) == ArchiveRoundTripTests.scanAll(f.archive).map(\.document))
        for column in [Column.country, .phoneNumber, .messageId] {
            #expect(try Self.countsByScanBatches(copy, column).counts == Self.countsByScanBatches(f.archive, column).counts)
        }
        // A correlationId lookup still finds its records without a filter over them.
        let cid = try #require(f.records.lazy.compactMap { Self.field($0, "correlationId") }.first)
        var query = ScanQuery()
        query.require(.correlationId, anyOf: [cid])
        var found = 0
        try old.scan(query) { _, _ in found += 1; return true }
        #expect(found == f.records.filter { Self.field($0, "correlationId") == cid }.count)
    }

    // MARK: the row links chunk and identifier kind 7, byte by byte

    @Test func rowLinksAreStoredRowByRow() throws {
        // Row 2 links to row 0, row 3 to row 1, row 4 (of 200) to row 200 - 130.
        var links = [Int32](repeating: -1, count: 201)
        links[2] = 0
        links[3] = 1
        links[200] = 70
        let encoded = RowLinkEncoding.encode(links)
        // One varint a row: 0 or the distance back (130 = 0x82 0x01).
        #expect(encoded.count == 202)
        #expect(Array(encoded.prefix(5)) == [0x00, 0x00, 0x02, 0x02, 0x00])
        #expect(Array(encoded.suffix(2)) == [0x82, 0x01])
        #expect(try RowLinkEncoding.decode(encoded, rowCount: 201, context: "t") == links)
    }

    @Test func damagedRowLinksThrow() {
        // A link before row 0, bytes left over, too few bytes, a zero distance written long, a cut varint.
        #expect(throws: FormatError.self) { try RowLinkEncoding.decode([0x01, 0x00], rowCount: 2, context: "t") }
        #expect(throws: FormatError.self) { try RowLinkEncoding.decode([0x00, 0x01, 0x00], rowCount: 2, context: "t") }
        #expect(throws: FormatError.self) { try RowLinkEncoding.decode([0x00], rowCount: 2, context: "t") }
        #expect(throws: FormatError.self) { try RowLinkEncoding.decode([0x00, 0x80, 0x00], rowCount: 2, context: "t") }
        #expect(throws: FormatError.self) { try RowLinkEncoding.decode([0x00, 0x81], rowCount: 2, context: "t") }
        // Row 1 cannot link 2 rows back.
        #expect(throws: FormatError.self) { try RowLinkEncoding.decode([0x00, 0x02], rowCount: 2, context: "t") }
    }

    @Test func identifiersRepeatTheirLinkedValueAsKindSeven() throws {
        let a = "0cf4b238-5ba2-44ff-8c0e-f24298281fd8", b = "1cf4b238-5ba2-44ff-8c0e-f24298281fd8"
        let values = [a, b, a, b, a]
        // Value 2 links to value 0 (its repeat: kind 7); value 3's link (0) is not what it repeats (1): kind 1;
        // value 4 repeats value 2 but links to value 0: kind 1.
        let linked: [Int32] = [-1, -1, 0, 0, 0]
        let bytes = IdentifierEncoding.encodeForms(values, repeats: IdentifierEncoding.repeatSources(values), rows: nil, linked: linked).identifiers
        // Tokens (none), then the kinds stream: 2, 2, 7, 1, 1.
        #expect(Array(bytes.prefix(7)) == [0x00, 0x05, 0x02, 0x02, 0x07, 0x01, 0x01])
        let chunk = try IdentifierEncoding.decode(bytes, count: 5, linked: linked, context: "t")
        #expect((0..<5).map { chunk[$0] } == values)
        #expect(chunk.repeatOf == [-1, -1, 0, 1, 2])
        // Kind 7 needs the links (version 5), and a link for its value.
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(bytes, count: 5, context: "t") }
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(bytes, count: 5, linked: [-1, -1, -1, 0, 0], context: "t") }
        #expect(throws: FormatError.self) { try IdentifierEncoding.decode(bytes, count: 5, linked: [-1, -1, 2, 0, 0], context: "t") }
    }

    @Test func aLinksFlagOtherThanZeroOrOneIsDamage() throws {
        let block = ColumnarBlockInfo(rowCount: 1, minTime: Timestamp(ticks: 0), maxTime: Timestamp(ticks: 0), chunks: [],
                                      filter: BloomFilter(expectedValues: 1))
        let footer = ColumnarFooter(columns: FieldSchema.columns, layouts: [], blocks: [block], rejectCount: 0, rejects: nil)
        var bytes = footer.encoded(version: SegmentVersion.columnsAlone)
        #expect(try ColumnarFooter.decode(bytes, fileSize: 16, version: SegmentVersion.columnsAlone, context: "t").blocks[0].links == nil)
        // The flag is the byte before the rejects count (0).
        #expect(bytes[bytes.count - 2] == 0)
        bytes[bytes.count - 2] = 2
        #expect(throws: FormatError.self) { try ColumnarFooter.decode(bytes, fileSize: 16, version: SegmentVersion.columnsAlone, context: "t") }
        // A version-4 footer has no flag at all.
        let old = footer.encoded(version: SegmentVersion.linkedColumns)
        #expect(old.count == bytes.count - 1)
        #expect(try ColumnarFooter.decode(old, fileSize: 16, version: SegmentVersion.linkedColumns, context: "t").blocks.count == 1)
    }
}
