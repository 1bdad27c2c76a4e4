import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSRecords
@testable import SMSSupport

/// The fast paths of selective reads give what the plain paths give: a count that skips the times
/// of blocks inside its range, a batch of a block's selected rows only, blocks decoded ahead of the
/// merge, and the combined chunk decoded for some of its columns.
@Suite struct SelectiveReadTests {
    typealias Fixture = ScanQueryTests

    /// The records `i` of the fixture whose time is in `[from, to)` and that `keep`.
    static func expected(from: Int, to: Int, _ keep: (Int) -> Bool = { _ in true }) -> Int {
        (0..<Fixture.recordCount).filter { i in
            Fixture.time(i) >= Fixture.time(from) && Fixture.time(i) < Fixture.time(to) && keep(i)
        }.count
    }

    /// Bounds inside a block, on a block's first or last record, and around whole blocks (blocks
    /// hold records 50k ..< 50k + 50): the count of Failed matches the records the fixture made.
    @Test func aCountWithAPredicateOverBlocksStraddlingTheRange() throws {
        let folder = TemporaryFolder()
        let archive = try Fixture.makeArchive(folder)
        let reader = try ArchiveReader(path: archive)
        let bounds: [(Int, Int)] = [(30, 275), (50, 250), (49, 251), (0, 450), (51, 99), (100, 150), (99, 100), (0, 1), (449, 450), (120, 121)]
        for (from, to) in bounds {
            var query = ScanQuery(from: Fixture.time(from), to: to < Fixture.recordCount ? Fixture.time(to) : nil)
            query.require(.resultType, anyOf: ["failed"])   // compared ignoring case
            let want = Self.expected(from: from, to: to) { Fixture.result($0) == "Failed" }
            #expect(try reader.count(query) == want, "Failed in records \(from)..<\(to)")
            var both = query
            both.require(.country, anyOf: ["US", "GB"])
            let wantBoth = Self.expected(from: from, to: to) { Fixture.result($0) == "Failed" && ["US", "GB"].contains(Fixture.country($0)) }
            #expect(try reader.count(both) == wantBoth, "Failed in US or GB in records \(from)..<\(to)")
            var scanned = 0
            try reader.scan(both) { _, _ in scanned += 1; return true }
            #expect(scanned == wantBoth)
        }
    }

    /// Every row of a batch of selected rows writes, reads and matches as the same row of the
    /// whole batch, on the fixture and on the sample export (residual members, type drift,
    /// escaped properties, several layouts), for many subsets of rows.
    @Test func aBatchOfSelectedRowsEqualsTheWholeBatch() throws {
        let folder = TemporaryFolder(), sampleFolder = TemporaryFolder()
        let archives = [try Fixture.makeArchive(folder), try ArchiveRoundTripTests.convert([testdataExport], into: sampleFolder)]
        var random = SeededGenerator(seed: 14)
        var compared = 0
        for archive in archives {
            for segment in try ArchiveReader(path: archive).segments {
                for block in segment.blocks.indices {
                    let whole = try segment.readBatch(block)
                    var subsets: [[Int]] = [[], Array(0..<whole.count), [0], [whole.count - 1]]
                    for _ in 0..<6 {
                        let share = Int.random(in: 1...4, using: &random)
                        subsets.append((0..<whole.count).filter { _ in Int.random(in: 0..<share, using: &random) == 0 })
                    }
                    for rows in subsets {
                        let selected = whole.selecting(rows: rows)
                        #expect(selected.count == rows.count)
                        for (k, row) in rows.enumerated() {
                            #expect(try Self.rowText(selected, k) == Self.rowText(whole, row), "\(archive) block \(block) row \(row)")
                            #expect(selected.times[k] == whole.times[row])
                            for c in 0..<FieldSchema.columns.count {
                                #expect(selected.string(c, row: k) == whole.string(c, row: row))
                                #expect(selected.integer(c, row: k) == whole.integer(c, row: row))
                            }
                            #expect(try selected.residualMembers(row: k) == whole.residualMembers(row: row))
                            compared += 1
                        }
                        for column in [Column.messageId.position, Column.correlationId.position] {
                            let wanted = whole.string(column, row: rows.first ?? 0).map { [$0] } ?? ["none"]
                            if let all = whole.exactMatches(column, wanted), let some = selected.exactMatches(column, wanted) {
                                #expect(some == rows.map { all[$0] })
                            }
                        }
                    }
                }
            }
        }
        #expect(compared > 2000)
    }

    /// A block read for the rows a predicate selects (its combined columns looked up for those rows
    /// alone) gives each row as the whole block gives it: text, every column, time.
    @Test func aBlockReadForSelectedRowsEqualsTheWholeBlock() throws {
        let folder = TemporaryFolder(), sampleFolder = TemporaryFolder()
        let archives = [try Fixture.makeArchive(folder), try ArchiveRoundTripTests.convert([testdataExport], into: sampleFolder)]
        var random = SeededGenerator(seed: 41)
        var selectedBlocks = 0
        for archive in archives {
            for segment in try ArchiveReader(path: archive).segments {
                for block in segment.blocks.indices {
                    let whole = try segment.readBatch(block)
                    for _ in 0..<6 {
                        let share = Int.random(in: 1...12, using: &random)
                        let rows = (0..<whole.count).filter { _ in Int.random(in: 0..<share, using: &random) == 0 }
                        let tested: Set<Int> = [[Column.resultType.position], [Column.phoneNumber.position], [Column.country.position, Column.operationName.position]][Int.random(in: 0..<3, using: &random)]
                        var seenFirst: RecordBatch?
                        let (batch, kept) = try segment.readMatching(block, tested: tested, columns: nil) { first in
                            seenFirst = first
                            return rows
                        }
                        #expect(seenFirst?.count == whole.count)
                        if rows.isEmpty { #expect(kept.isEmpty); continue }
                        let original = batch.count == whole.count ? kept : rows
                        if batch.count != whole.count { selectedBlocks += 1; #expect(kept == Array(rows.indices)) } else { #expect(kept == rows) }
                        for (k, row) in original.enumerated() {
                            let at = batch.count == whole.count ? row : k
                            #expect(try Self.rowText(batch, at) == Self.rowText(whole, row), "\(archive) block \(block) row \(row)")
                            #expect(batch.times[at] == whole.times[row])
                            for c in 0..<FieldSchema.columns.count {
                                #expect(batch.string(c, row: at) == whole.string(c, row: row))
                                #expect(batch.integer(c, row: at) == whole.integer(c, row: row))
                            }
                        }
                    }
                }
            }
        }
        #expect(selectedBlocks > 10)
    }

    /// A row's JSON text, or the error it throws.
    static func rowText(_ batch: RecordBatch, _ row: Int) throws -> String {
        var out: [UInt8] = []
        do { try batch.writeJSON(row: row, to: &out) } catch { return "error: \(error)" }
        return String(decoding: out, as: UTF8.self)
    }

    /// Segments damaged byte by byte, read without their checksums so the damage reaches the
    /// decoders: whatever a whole batch gives for a row (its text, or the error), a batch of
    /// selected rows gives the same.
    @Test func aBatchOfSelectedRowsEqualsTheWholeBatchOnDamagedBlocks() throws {
        let folder = TemporaryFolder(), sampleFolder = TemporaryFolder()
        var decodedDamaged = 0, selectedDamaged = 0
        // The fixture's blocks are larger (50 rows, few layouts: a few rows of one are selected): every 31st byte.
        for (archive, step) in [(try Fixture.makeArchive(folder), 31), (try ArchiveRoundTripTests.convert([testdataExport], into: sampleFolder), 7)] {
        let reader = try ArchiveReader(path: archive)
        for (index, entry) in reader.manifest.segments.enumerated() where index < 2 {
            let path = archive + "/" + entry.file
            let original = try FileIO.readAll(path)
            let bodyEnd = original.count - SegmentLayout.trailerSize - 400
            for offset in stride(from: SegmentLayout.headerSize, to: max(SegmentLayout.headerSize, bodyEnd), by: step) {
                var bytes = original
                bytes[offset] ^= 0x5A
                let damaged = folder.path + "/damaged.seg"
                try Data(bytes).write(to: URL(fileURLWithPath: damaged))
                guard let segment = try? SegmentReader(path: damaged, verifyChecksums: false) else { continue }
                for block in segment.blocks.indices {
                    let wholeRead = Result { try segment.readBatch(block) }
                    // Read for a few rows (the combined chunk looked up for them alone): damage is
                    // found as in the whole read, and the rows are the same.
                    let few = (0..<segment.blocks[block].rowCount).filter { $0 % 10 == 3 }
                    let fewRead = Result { try segment.readMatching(block, tested: [Column.resultType.position], columns: nil) { _ in few } }
                    guard let whole = try? wholeRead.get() else {
                        // (With no row selected, only the tested column is read.)
                        #expect(few.isEmpty || (try? fewRead.get()) == nil, "byte \(offset) of \(entry.file), block \(block): damage not found: \(wholeRead)")
                        continue
                    }
                    decodedDamaged += 1
                    let rows = (0..<whole.count).filter { $0 % 2 == 1 }
                    let selected = whole.selecting(rows: rows)
                    for (k, row) in rows.enumerated() {
                        #expect(try Self.rowText(selected, k) == Self.rowText(whole, row), "byte \(offset) of \(entry.file), block \(block) row \(row)")
                    }
                    guard let (batch, _) = try? fewRead.get() else {
                        Issue.record("byte \(offset) of \(entry.file), block \(block): read for a few rows failed, the whole read did not")
                        continue
                    }
                    if batch.count != whole.count { selectedDamaged += 1 }
                    for (k, row) in few.enumerated() {
                        let at = batch.count == whole.count ? row : k
                        #expect(try Self.rowText(batch, at) == Self.rowText(whole, row), "byte \(offset) of \(entry.file), block \(block) row \(row)")
                    }
                }
            }
        }
        }
        #expect(decodedDamaged > 0)
        #expect(selectedDamaged > 0)
    }

    /// A block that cannot be read stops a scan where a scan without decoding ahead stops: every
    /// row of the blocks before it is handed over, none after, and the error names the block.
    @Test func aDamagedBlockStopsTheScanWhereTheMergeReachesIt() throws {
        let folder = TemporaryFolder()
        let archive = try Fixture.makeArchive(folder)
        let reader = try ArchiveReader(path: archive)
        let segmentPath = archive + "/" + reader.manifest.segments[0].file
        #expect(try reader.segment(0).blocks.count == Fixture.blockCount)
        try damageByScanning(folder, archive: archive, segmentPath: segmentPath)
    }

    /// Flips bytes of the segment one at a time until block 6 (and no earlier one) fails to read,
    /// then checks what a scan hands over before the error.
    private func damageByScanning(_ folder: TemporaryFolder, archive: String, segmentPath: String) throws {
        let original = try FileIO.readAll(segmentPath)
        let damagedBlock = 6
        for offset in stride(from: original.count / 2, to: original.count - SegmentLayout.trailerSize, by: 11) {
            var bytes = original
            bytes[offset] ^= 0xFF
            try Data(bytes).write(to: URL(fileURLWithPath: segmentPath))
            guard let segment = try? SegmentReader(path: segmentPath) else { continue }
            let failing = segment.blocks.indices.filter { (try? segment.readBatch($0)) == nil }
            guard failing == [damagedBlock] else { continue }
            var handed: [Int64] = []
            var thrown: String?
            do {
                try ArchiveReader(path: archive).scan { batch, row in
                    handed.append(batch.times[row])
                    return true
                }
            } catch {
                thrown = "\(error)"
            }
            let before = (0..<damagedBlock * Fixture.blockRows).map { Fixture.time($0).ticks }
            #expect(handed == before)
            #expect(thrown?.contains("block \(damagedBlock)") == true, "\(thrown ?? "no error")")
            try Data(original).write(to: URL(fileURLWithPath: segmentPath))
            return
        }
        Issue.record("no single flipped byte damaged block \(damagedBlock) alone")
    }

    /// The combined chunk decoded for some of its columns: those columns' values as a whole
    /// decode gives them, the same tuple ids, and the same error for every cut or changed byte.
    @Test func theCombinedChunkDecodedForSomeColumns() throws {
        var random = SeededGenerator(seed: 7)
        let rowCount = 300
        let columns: [(column: Int, values: CombinedEncoding.Values)] = [
            (Column.operationName.position, .strings(["SMSMessagesSent", "SMSDeliveryReportsReceived", "SMSMessagesReceived"])),
            (Column.resultType.position, .strings(["Succeeded", "Failed"])),
            (Column.category.position, .strings(["SMSOperational", "Usage"])),
        ]
        let picks = (0..<rowCount).map { _ in (Int.random(in: 0..<3, using: &random), Int.random(in: -1..<2, using: &random), Int.random(in: 0..<2, using: &random)) }
        let bytes = CombinedEncoding.encode(columns: columns, rowCount: rowCount) { column, row in
            switch column {
            case Column.operationName.position: picks[row].0
            case Column.resultType.position: picks[row].1 >= 0 ? picks[row].1 : nil
            default: picks[row].2
            }
        }
        let whole = try CombinedEncoding.decodeWithTuples(bytes, rowCount: rowCount, context: "c")
        // The result column, from the picks: rows without one are skipped.
        let results = picks.compactMap { $0.1 >= 0 ? ["Succeeded", "Failed"][$0.1] : nil }
        for wanted: Set<Int> in [[], [Column.resultType.position], [Column.category.position, Column.operationName.position]] {
            let some = try CombinedEncoding.decodeSelected(bytes, rowCount: rowCount, context: "c", wanted: wanted)
            #expect(some.stored == columns.map(\.column))
            #expect(some.tupleIDs == whole.tupleIDs)
            #expect(Set(some.columns.map(\.column)) == wanted)
            for (column, values) in some.columns {
                guard let same = whole.columns.first(where: { $0.column == column }) else { Issue.record("column \(column)"); continue }
                #expect(Self.texts(values) == Self.texts(same.values))
                if column == Column.resultType.position { #expect(Self.texts(values) == results) }
            }
        }
        func outcome(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "ok" } catch { return "\(error)" }
        }
        for cut in 0..<bytes.count {
            let short = Array(bytes[..<cut])
            #expect(outcome { try CombinedEncoding.decodeSelected(short, rowCount: rowCount, context: "c", wanted: []) }
                == outcome { try CombinedEncoding.decodeWithTuples(short, rowCount: rowCount, context: "c") })
            var changed = bytes
            changed[cut] ^= 0x81
            #expect(outcome { try CombinedEncoding.decodeSelected(changed, rowCount: rowCount, context: "c", wanted: []) }
                == outcome { try CombinedEncoding.decodeWithTuples(changed, rowCount: rowCount, context: "c") })
            #expect(outcome { try CombinedEncoding.decodeWithTuples(short, rowCount: rowCount, context: "c") } != "ok")
        }
    }

    static func texts(_ values: CombinedEncoding.Decoded) -> [String] {
        switch values {
        case .strings(let chunk): (0..<chunk.count).map { chunk[$0] }
        case .integers(let v): v.map { "\($0)" }
        }
    }
}
