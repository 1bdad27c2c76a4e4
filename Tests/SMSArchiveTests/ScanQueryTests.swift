import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords
@testable import SMSSupport

/// `ScanQuery` over an archive of records built here: predicates return exactly
/// the records the construction says, in time order, and blocks that the time
/// range or the Bloom filters rule out are not read.
@Suite struct ScanQueryTests {
    /// 450 records, 24 s apart from midnight: 150 an hour for three hours.
    static let recordCount = 450
    static let spacingSeconds = 24
    static let blockRows = 50
    static let blockCount = 9
    static let start = Timestamp(iso8601: "2026-10-01T00:00:00Z")!

    // What record i holds.
    static func seconds(_ i: Int) -> Int { i * spacingSeconds }
    static func time(_ i: Int) -> Timestamp { Timestamp(ticks: start.ticks + Int64(seconds(i)) * Timestamp.ticksPerSecond) }
    static func timeText(_ i: Int) -> String {
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
        let s = seconds(i)
        return "2026-10-01T\(two(s / 3600)):\(two(s % 3600 / 60)):\(two(s % 60)).0000000Z"
    }
    /// One phone number a block of 50 (in time order), so blocks hold disjoint phones.
    static func phone(_ i: Int) -> String { "+1555010000\(i / 50)" }
    static func country(_ i: Int) -> String? { i % 11 == 5 ? nil : ["US", "CA", "GB", "FR"][i % 4] }
    static func operation(_ i: Int) -> String { ["SMSMessagesSent", "SMSDeliveryReportsReceived", "SMSMessagesReceived"][i % 3] }
    static func result(_ i: Int) -> String { i % 5 == 0 ? "Failed" : "Succeeded" }
    static func category(_ i: Int) -> String { i % 7 == 0 ? "Usage" : "SMSOperational" }
    static func attempts(_ i: Int) -> Int { i % 3 + 1 }
    static func messageId(_ i: Int) -> String {
        func hex(_ v: Int, _ width: Int) -> String {
            let s = String(v, radix: 16)
            return String(repeating: "0", count: width - s.count) + s
        }
        return "Outgoing_20261001000000" + hex(i, 8) + "-0000-4000-8000-" + hex(i * 7919, 12) + "_noam"
    }

    static func line(_ i: Int, withMessageId: Bool) -> String {
        var properties = #""PhoneNumber":"\#(phone(i))""#
        if let c = country(i) { properties += #","Country":"\#(c)""# }
        if withMessageId { properties += #","MessageId":"\#(messageId(i))""# }
        properties += #","DeliveryAttempts":\#(attempts(i))"#
        return #"{"time":"\#(timeText(i))","resourceId":"/R","operationName":"\#(operation(i))","category":"\#(category(i))","resultType":"\#(result(i))","properties":{\#(properties)}}"#
    }

    /// Builds the archive of records `order` (indices) in that order.
    static func makeArchive(_ folder: TemporaryFolder, order: [Int] = Array(0..<recordCount), withMessageIds: Bool = true,
                            segmentRecords: Int? = nil) throws -> String {
        let text = order.map { line($0, withMessageId: withMessageIds) }.joined(separator: "\n") + "\n"
        let blob = folder.write("PT1H.json", text)
        var options = ArchiveWriter.Options()
        options.blockRows = blockRows
        if let segmentRecords { options.segmentRecords = segmentRecords }
        return try ArchiveRoundTripTests.convert([blob], into: folder, options: options)
    }

    struct Outcome {
        var indices: [Int]
        var blocksRead: Int
    }

    /// Scans with a fresh reader; each row is turned back into its index and checked against the construction.
    static func run(_ archive: String, _ query: ScanQuery) throws -> Outcome {
        let reader = try ArchiveReader(path: archive)
        var indices: [Int] = []
        let phoneColumn = FieldSchema.column(named: "PhoneNumber")!
        let operationColumn = FieldSchema.column(named: "operationName")!
        try reader.scan(query) { batch, row in
            let offset = batch.times[row] - start.ticks
            let i = Int(offset / (Int64(spacingSeconds) * Timestamp.ticksPerSecond))
            #expect(offset % (Int64(spacingSeconds) * Timestamp.ticksPerSecond) == 0)
            #expect(batch.string(phoneColumn, row: row) == phone(i))
            #expect(batch.string(operationColumn, row: row) == operation(i))
            indices.append(i)
            return true
        }
        return Outcome(indices: indices, blocksRead: reader.blocksRead)
    }

    static func query(from: Timestamp? = nil, to: Timestamp? = nil, _ predicates: [(String, [String])] = []) throws -> ScanQuery {
        var q = ScanQuery(from: from, to: to)
        for (column, values) in predicates { try q.require(column, anyOf: values) }
        return q
    }

    static func expected(_ keep: (Int) -> Bool) -> [Int] { (0..<recordCount).filter(keep) }

    // MARK: predicates

    @Test func everythingInTimeOrderReadsEveryBlock() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        let reader = try ArchiveReader(path: archive)
        #expect(try reader.segments.count == 1)
        #expect(try reader.segments[0].blocks.count == Self.blockCount)
        #expect(try reader.segments[0].blocks.map(\.rowCount) == Array(repeating: Self.blockRows, count: Self.blockCount))
        let all = try Self.run(archive, ScanQuery())
        #expect(all.indices == Array(0..<Self.recordCount))
        #expect(all.blocksRead == Self.blockCount)
    }

    @Test func eachPredicateReturnsExactlyItsRecords() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        let cases: [(String, [(String, [String])], (Int) -> Bool)] = [
            ("phone", [("PhoneNumber", [Self.phone(123)])], { Self.phone($0) == Self.phone(123) }),
            ("country", [("Country", ["US"])], { Self.country($0) == "US" }),
            ("country, lowercase", [("Country", ["us"])], { Self.country($0) == "US" }),
            ("operation", [("operationName", ["SMSMessagesSent"])], { $0 % 3 == 0 }),
            ("operation, lowercase", [("operationName", ["smsmessagessent"])], { $0 % 3 == 0 }),
            ("operation, column name in another case", [("OPERATIONNAME", ["SMSDeliveryReportsReceived"])], { $0 % 3 == 1 }),
            ("result", [("resultType", ["FAILED"])], { $0 % 5 == 0 }),
            ("category", [("category", ["usage"])], { $0 % 7 == 0 }),
            ("category, other", [("category", ["SMSOPERATIONAL"])], { $0 % 7 != 0 }),
            ("message id", [("MessageId", [Self.messageId(321)])], { $0 == 321 }),
            ("message id compares exactly", [("MessageId", [Self.messageId(321).uppercased()])], { _ in false }),
            ("phone compares exactly", [("PhoneNumber", [Self.phone(0) + " "])], { _ in false }),
            ("integer column", [("DeliveryAttempts", ["2"])], { Self.attempts($0) == 2 }),
            ("no such value", [("Country", ["DE"])], { _ in false }),
            // AND of different columns.
            ("country and operation and result", [("Country", ["US"]), ("operationName", ["SMSMessagesSent"]), ("resultType", ["Failed"])],
             { Self.country($0) == "US" && $0 % 3 == 0 && $0 % 5 == 0 }),
            ("phone and category", [("PhoneNumber", [Self.phone(7)]), ("category", ["Usage"])], { $0 / 50 == 0 && $0 % 7 == 0 }),
            // OR of values of one column.
            ("two countries", [("Country", ["US", "ca"])], { Self.country($0) == "US" || Self.country($0) == "CA" }),
            ("two phones and failed", [("PhoneNumber", [Self.phone(10), Self.phone(400)]), ("resultType", ["Failed"])],
             { ($0 / 50 == 0 || $0 / 50 == 8) && $0 % 5 == 0 }),
            ("three message ids", [("MessageId", [Self.messageId(1), Self.messageId(2), Self.messageId(449)])], { [1, 2, 449].contains($0) }),
        ]
        for (name, predicates, keep) in cases {
            let outcome = try Self.run(archive, try Self.query(predicates))
            #expect(outcome.indices == Self.expected(keep), "\(name)")
        }
        // Repeating a requirement adds alternatives.
        var q = ScanQuery()
        try q.require("Country", anyOf: ["US"])
        try q.require("Country", anyOf: ["FR"])
        #expect(try Self.run(archive, q).indices == Self.expected { ["US", "FR"].contains(Self.country($0)) })
    }

    @Test func scanBatchesFindsTheSameRows() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        var q = try Self.query([("Country", ["GB"]), ("resultType", ["Succeeded"])])
        q.columns = []
        var total = 0
        let countryColumn = FieldSchema.column(named: "Country")!
        try ArchiveReader(path: archive).scanBatches(q) { batch, rows in
            total += rows.count
            for row in rows { #expect(batch.string(countryColumn, row: row) == "GB") }
            return true
        }
        #expect(total == Self.expected { Self.country($0) == "GB" && $0 % 5 != 0 }.count)
    }

    @Test func aScanStopsWhenTheBodySaysSo() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        let reader = try ArchiveReader(path: archive)
        var seen: [Int64] = []
        try reader.scan(ScanQuery()) { batch, row in
            seen.append(batch.times[row])
            return seen.count < 5
        }
        #expect(seen == (0..<5).map { Self.time($0).ticks })
        #expect(reader.blocksRead == 1)
    }

    // MARK: time bounds and block skipping

    @Test func timeBoundsAreInclusiveThenExclusive() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        // From record 100's time to record 200's: 100...199, blocks 2 and 3.
        let exact = try Self.run(archive, try Self.query(from: Self.time(100), to: Self.time(200)))
        #expect(exact.indices == Array(100..<200))
        #expect(exact.blocksRead == 2)
        // One tick later on both ends: 101...200, blocks 2, 3 and 4.
        let shifted = try Self.run(archive, try Self.query(from: Timestamp(ticks: Self.time(100).ticks + 1), to: Timestamp(ticks: Self.time(200).ticks + 1)))
        #expect(shifted.indices == Array(101...200))
        #expect(shifted.blocksRead == 3)
        // An empty range reads nothing.
        let empty = try Self.run(archive, try Self.query(from: Self.time(100), to: Self.time(100)))
        #expect(empty.indices.isEmpty)
        #expect(empty.blocksRead == 0)
        // Only a lower or an upper bound.
        #expect(try Self.run(archive, try Self.query(from: Self.time(440))).indices == Array(440..<450))
        #expect(try Self.run(archive, try Self.query(to: Self.time(3))).indices == [0, 1, 2])
        // Before and after everything.
        #expect(try Self.run(archive, try Self.query(to: Self.time(0))).blocksRead == 0)
        #expect(try Self.run(archive, try Self.query(from: Timestamp(ticks: Self.time(449).ticks + 1))).blocksRead == 0)
    }

    @Test func oneHourReadsOnlyThatHoursBlocks() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        for hour in 0..<3 {
            let from = Timestamp(queryBound: "2026-10-01T0\(hour):00")!
            let to = Timestamp(queryBound: "2026-10-01T0\(hour + 1):00")!
            let outcome = try Self.run(archive, try Self.query(from: from, to: to))
            // 150 records an hour, 50 a block: blocks 3h, 3h+1, 3h+2.
            #expect(outcome.indices == Array(hour * 150..<(hour + 1) * 150))
            #expect(outcome.blocksRead == 3)
            // A predicate on an unfiltered column does not change which blocks are read.
            let us = try Self.run(archive, try Self.query(from: from, to: to, [("Country", ["US"])]))
            #expect(us.indices == Array(hour * 150..<(hour + 1) * 150).filter { Self.country($0) == "US" })
            #expect(us.blocksRead == 3)
        }
    }

    @Test func aRangeBetweenBlockBoundariesReadsTheBlocksItOverlaps() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        // 01:10:10 to 01:40:01 (4210 s to 6001 s): records 176 (4224 s) to 250 (6000 s).
        let from = Timestamp(queryBound: "2026-10-01T01:10:10Z")!
        let to = Timestamp(queryBound: "2026-10-01T01:40:01Z")!
        let outcome = try Self.run(archive, try Self.query(from: from, to: to))
        #expect(outcome.indices == Array(176...250))
        // Blocks whose time span meets [from, to): 150-199, 200-249, 250-299.
        let overlapping = (0..<Self.blockCount).filter { b in
            Self.time(b * 50) < to && Self.time(b * 50 + 49) >= from
        }
        #expect(overlapping == [3, 4, 5])
        #expect(outcome.blocksRead == overlapping.count)
        // A range inside the gap between two records of one block still reads that block, and finds nothing.
        let gap = try Self.run(archive, try Self.query(from: Timestamp(ticks: Self.time(10).ticks + 1), to: Self.time(11)))
        #expect(gap.indices.isEmpty)
        #expect(gap.blocksRead == 1)
    }

    @Test func bloomFiltersSkipBlocksWithoutThePhone() throws {
        let folder = TemporaryFolder()
        // Without MessageIds, each block's filter holds its one phone number only.
        let archive = try Self.makeArchive(folder, withMessageIds: false)
        for block in [0, 4, 8] {
            let outcome = try Self.run(archive, try Self.query([("PhoneNumber", [Self.phone(block * 50)])]))
            #expect(outcome.indices == Array(block * 50..<(block + 1) * 50))
            #expect(outcome.blocksRead == 1, "block \(block)")
        }
        let two = try Self.run(archive, try Self.query([("PhoneNumber", [Self.phone(60), Self.phone(310)])]))
        #expect(two.indices == Array(50..<100) + Array(300..<350))
        #expect(two.blocksRead == 2)
        let absent = try Self.run(archive, try Self.query([("PhoneNumber", ["+19999999999"])]))
        #expect(absent.indices.isEmpty)
        #expect(absent.blocksRead == 0)
        // The phone's block is outside the time range: nothing is read.
        let elsewhere = try Self.run(archive, try Self.query(from: Self.time(300), to: Self.time(450 - 1), [("PhoneNumber", [Self.phone(0)])]))
        #expect(elsewhere.indices.isEmpty)
        #expect(elsewhere.blocksRead == 0)
        // The phone and another predicate: the phone's block only.
        let failed = try Self.run(archive, try Self.query([("PhoneNumber", [Self.phone(200)]), ("resultType", ["failed"])]))
        #expect(failed.indices == Array(200..<250).filter { $0 % 5 == 0 })
        #expect(failed.blocksRead == 1)
    }

    @Test func messageIdLookupFindsItsRecordAndSkipsMostBlocks() throws {
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        let outcome = try Self.run(archive, try Self.query([("MessageId", [Self.messageId(222)])]))
        #expect(outcome.indices == [222])
        // Its block (4) is read; a Bloom filter may let a few others through, never all.
        #expect(outcome.blocksRead >= 1)
        #expect(outcome.blocksRead < Self.blockCount)
        // With the time range of block 4 too, only block 4.
        let narrowed = try Self.run(archive, try Self.query(from: Self.time(200), to: Self.time(250), [("MessageId", [Self.messageId(222)])]))
        #expect(narrowed.indices == [222])
        #expect(narrowed.blocksRead == 1)
    }

    // MARK: order

    @Test func recordsComeInTimeOrderAcrossSegmentsWhateverTheInputOrder() throws {
        let folder = TemporaryFolder()
        var rng = SeededGenerator(seed: 450)
        let order = Array(0..<Self.recordCount).shuffled(using: &rng)
        // 100 records a segment: five segments whose times interleave.
        let archive = try Self.makeArchive(folder, order: order, segmentRecords: 100)
        let reader = try ArchiveReader(path: archive)
        #expect(try reader.segments.count == 5)
        #expect(try Self.run(archive, ScanQuery()).indices == Array(0..<Self.recordCount))
        #expect(try Self.run(archive, try Self.query([("Country", ["CA"])])).indices == Self.expected { Self.country($0) == "CA" })
        let hour = try Self.run(archive, try Self.query(from: Self.time(150), to: Self.time(300), [("resultType", ["Failed"])]))
        #expect(hour.indices == Array(150..<300).filter { $0 % 5 == 0 })
    }

    @Test func recordsOfEqualTimeComeInArchivedOrder() throws {
        func line(_ time: String, _ phone: String) -> String { #"{"time":"\#(time)","PhoneNumber":"\#(phone)"}"# }
        let lines = [line("2026-10-01T00:00:01Z", "A"), line("2026-10-01T00:00:01Z", "B"), line("2026-10-01T00:00:00Z", "C"),
                     line("2026-10-01T00:00:01Z", "D")]
        let phoneColumn = FieldSchema.column(named: "PhoneNumber")!
        for segmentRecords in [1, 2, 100] {
            let folder = TemporaryFolder()
            let blob = folder.write("PT1H.json", lines.joined(separator: "\n") + "\n")
            var options = ArchiveWriter.Options()
            options.segmentRecords = segmentRecords
            options.blockRows = 2
            let archive = try ArchiveRoundTripTests.convert([blob], into: folder, options: options)
            var phones: [String] = []
            try ArchiveReader(path: archive).scan { batch, row in
                phones.append(batch.string(phoneColumn, row: row) ?? "?")
                return true
            }
            #expect(phones == ["C", "A", "B", "D"], "\(segmentRecords) records a segment")
        }
    }

    // MARK: Bloom filters as specified, and skipping whole segments

    /// Each block's filter, rebuilt here from the format's definition: m = 64 × max(1, ⌈6n / 64⌉)
    /// bits for n distinct values; for each value, bits (h1 + j·h2) mod m for j < 4, where h1 and h2
    /// are the low and high halves of XXH64(column id byte + UTF-8, seed 0).
    @Test func blockFiltersHoldExactlyTheBlocksPhonesAndMessageIdsAsSpecified() throws {
        #expect(xxh64([UInt8]()) == 0xEF46_DB37_51D8_E999)   // the XXH64 test vector of empty input
        let folder = TemporaryFolder()
        let archive = try Self.makeArchive(folder)
        let segment = try ArchiveReader(path: archive).segment(0)
        let phoneColumn = FieldSchema.column(named: "PhoneNumber")!, messageColumn = FieldSchema.column(named: "MessageId")!
        #expect(FieldSchema.filtered.sorted() == [phoneColumn, messageColumn].sorted())
        for b in 0..<Self.blockCount {
            let rows = b * 50..<(b + 1) * 50
            let values = [(phoneColumn, Self.phone(rows.lowerBound))] + rows.map { (messageColumn, Self.messageId($0)) }
            let words = max(1, (values.count * 6 + 63) / 64)
            var expected = [UInt64](repeating: 0, count: words)
            let m = UInt64(words * 64)
            for (column, value) in values {
                let h = xxh64([UInt8(column)] + Array(value.utf8))
                let h1 = h & 0xFFFF_FFFF, h2 = h >> 32
                for j: UInt64 in 0..<4 {
                    let bit = (h1 + j * h2) % m
                    expected[Int(bit / 64)] |= 1 << (bit % 64)
                }
            }
            let filter = try #require(segment.blocks[b].filter)
            #expect(filter.hashCount == 4)
            #expect(filter.bits == expected, "block \(b)")
        }
    }

    @Test func aCategoryPredicateSkipsSegmentsWithoutThatCategory() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/a.smsa"
        // Three converts, three segments: Usage only, SMSOperational only, both.
        let usage = folder.write("1/PT1H.json", (0..<10).map { #"{"time":"2026-10-01T00:00:0\#($0)Z","category":"Usage","PhoneNumber":"+1U"}"# }.joined(separator: "\n") + "\n")
        let operational = folder.write("2/PT1H.json", (0..<10).map { #"{"time":"2026-10-01T00:00:1\#($0)Z","category":"SMSOperational","PhoneNumber":"+1O"}"# }.joined(separator: "\n") + "\n")
        let both = folder.write("3/PT1H.json", #"{"time":"2026-10-01T00:00:20Z","category":"Usage"}"# + "\n" + #"{"time":"2026-10-01T00:00:21Z","category":"SMSOperational"}"# + "\n")
        for blob in [usage, operational, both] {
            let writer = try ArchiveWriter(path: archive)
            try ExportReader(inputs: [blob]).read { if case .record(let r) = $0 { try writer.add(r) } }
            try writer.commit()
        }
        func scan(_ categories: [String]) throws -> (count: Int, opened: Int) {
            let reader = try ArchiveReader(path: archive)
            var q = ScanQuery()
            try q.require("category", anyOf: categories)
            var n = 0
            try reader.scan(q) { _, _ in n += 1; return true }
            return (n, reader.segmentsOpened)
        }
        #expect(try scan(["usage"]) == (11, 2))
        #expect(try scan(["SMSOPERATIONAL"]) == (11, 2))
        #expect(try scan(["Usage", "SMSOperational"]) == (22, 3))
        #expect(try scan(["Billing"]) == (0, 0))
    }

    @Test func recordsAcrossMidnightComeBackInOrderAndADayQueryReadsOnlyThatDay() throws {
        let folder = TemporaryFolder()
        let times = ["2026-10-02T00:00:00Z", "2026-10-01T23:59:59.9999999Z", "2026-09-30T12:00:00Z", "2026-10-02T00:00:01Z", "2026-10-01T00:00:00Z"]
        let blob = folder.write("PT1H.json", times.map { #"{"time":"\#($0)"}"# }.joined(separator: "\n") + "\n")
        let archive = try ArchiveRoundTripTests.convert([blob], into: folder)
        let all = try ArchiveRoundTripTests.scanAll(archive).map(\.time)
        #expect(all == times.map { Timestamp(iso8601: $0)! }.sorted())
        let reader = try ArchiveReader(path: archive)
        var day: [Timestamp] = []
        try reader.scan(ScanQuery(from: Timestamp(queryBound: "2026-10-02"), to: Timestamp(queryBound: "2026-10-03"))) { batch, row in
            day.append(Timestamp(ticks: batch.times[row])); return true
        }
        #expect(day == [Timestamp(iso8601: "2026-10-02T00:00:00Z")!, Timestamp(iso8601: "2026-10-02T00:00:01Z")!])
        // Only segments whose time span meets the day are opened.
        let overlapping = reader.manifest.segments.filter { $0.minTime! < Timestamp(queryBound: "2026-10-03")! && $0.maxTime! >= Timestamp(queryBound: "2026-10-02")! }
        #expect(reader.segmentsOpened == overlapping.count)
        #expect(reader.segmentsOpened < reader.manifest.segments.count || reader.manifest.segments.count == 1)
    }
}
