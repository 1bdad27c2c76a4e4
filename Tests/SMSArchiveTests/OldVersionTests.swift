import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords
@testable import SMSSupport

/// Archives holding version-1 (row-document) segments, alone or next to
/// version-2 segments: scans with predicates give every record back exactly.
@Suite struct OldVersionTests {
    struct OldRow {
        var line: String
        var time: String
        var category: String?
        var resourceId: String?
    }

    /// Version-1 rows, in time order, with the category and resource ID the old writer stored for them.
    static let oldRows: [OldRow] = [
        OldRow(line: #"{"time":"2026-10-01T00:00:01.0000000Z","resourceId":"/R1","operationName":"SMSMessagesSent","category":"SMSOperational","properties":{"PhoneNumber":"+1A","Country":"US","DeliveryAttempts":1}}"#,
               time: "2026-10-01T00:00:01.0000000Z", category: "SMSOperational", resourceId: "/R1"),
        OldRow(line: #"{"TimeGenerated":"2026-10-01T00:00:03.123456Z","OperationName":"SMSMessagesSent","Category":"SMSOperational","PhoneNumber":"+1B","Country":"CA","ResultType":"Failed","Type":"ACSSMSIncomingOperations"}"#,
               time: "2026-10-01T00:00:03.123456Z", category: "SMSOperational", resourceId: nil),
        OldRow(line: #"{"time":"2026-10-01T00:00:05Z","operationName":"SMSDeliveryReportsReceived","properties":{"PhoneNumber":"+1C","MessageId":"Outgoing_202610010000050f8fad5b-d9cb-469f-a165-70867728950e_noam"}}"#,
               time: "2026-10-01T00:00:05Z", category: "smsoperational", resourceId: "/R-from-path"),
        OldRow(line: #"{"time":"2026-10-01 00:00:07.1230000z","category":"Usage","properties":{"Quantity":1.0,"Country":"é中文","Quantity":2},"extra":[null,{"a":"b"}]}"#,
               time: "2026-10-01 00:00:07.1230000z", category: "Usage", resourceId: nil),
        OldRow(line: #"{"time":"2026-10-01T00:00:09Z","PhoneNumber":"+1E","Country":"US"}"#,
               time: "2026-10-01T00:00:09Z", category: nil, resourceId: nil),
    ]

    /// Version-2 records, added by `ArchiveWriter` after the version-1 segment.
    static let newLines: [String] = [
        #"{"time":"2026-10-01T00:00:02Z","category":"SMSOperational","properties":{"PhoneNumber":"+1N","Country":"CA"}}"#,
        #"{"time":"2026-10-01T00:00:04Z","properties":{"PhoneNumber":"+1A","Country":"US"}}"#,
        #"{"time":"2026-10-01T00:00:09Z","properties":{"PhoneNumber":"+1M","Country":"GB"}}"#,
        #"{"time":"2026-10-01T00:00:10Z","category":"Usage","properties":{"PhoneNumber":"+1N"}}"#,
    ]

    /// Every record of both segments in time order; at 00:00:09 the old segment's record first (archived first).
    static let expectedOrder: [String] = [
        oldRows[0].line, newLines[0], oldRows[1].line, newLines[1], oldRows[2].line, oldRows[3].line, oldRows[4].line, newLines[2], newLines[3],
    ]

    static let oldReject = Reject(source: "/exports/PT1H.json", line: 7, reason: .invalidJSON, detail: "expected a value at column 1", bytes: Array("not json".utf8))

    /// Writes a version-1 segment of `rows` (two rows a block) and a manifest naming it, as the old writer did.
    static func writeOldArchive(_ rows: [OldRow], at archive: String, rejects: [Reject] = []) throws {
        try FileManager.default.createDirectory(atPath: archive + "/segments", withIntermediateDirectories: true)
        let file = "segments/000001-0000abcd.smsseg"
        let stored = try rows.map { row in
            StoredRow(time: try #require(Timestamp(iso8601: row.time)), category: row.category, resourceId: row.resourceId,
                      document: Array(row.line.utf8)[...])
        }
        _ = try SegmentWriter.writeRowDocuments(rows: stored, rejects: rejects, to: archive + "/" + file,
                                                options: SegmentWriter.Options(blockRows: 2, compressionLevel: 3))
        let bytes = try FileManager.default.attributesOfItem(atPath: archive + "/" + file)[.size] as! Int
        let times = stored.map(\.time)
        var manifest = #"{"format":"smsarchive","version":1,"nextSequence":2,"segments":["# + "\n"
        manifest += #"{"file":"\#(file)","records":\#(rows.count),"rejects":\#(rejects.count),"bytes":\#(bytes)"#
        if let lo = times.min(), let hi = times.max() { manifest += #","minTime":"\#(lo.iso8601)","maxTime":"\#(hi.iso8601)""# }
        manifest += "}\n]}\n"
        _ = FileManager.default.createFile(atPath: archive + "/manifest.json", contents: Data(manifest.utf8))
    }

    /// An archive with the version-1 segment, then a version-2 segment added by `ArchiveWriter`.
    static func mixedArchive(_ folder: TemporaryFolder) throws -> String {
        let archive = folder.path + "/mixed.smsa"
        try writeOldArchive(oldRows, at: archive, rejects: [oldReject])
        let blob = folder.write("new/PT1H.json", newLines.joined(separator: "\n") + "\n")
        let writer = try ArchiveWriter(path: archive)
        try ExportReader(inputs: [blob]).read { if case .record(let r) = $0 { try writer.add(r) } }
        try writer.commit()
        return archive
    }

    static func documents(_ archive: String, _ query: ScanQuery = ScanQuery()) throws -> (lines: [String], blocksRead: Int) {
        let reader = try ArchiveReader(path: archive)
        var lines: [String] = []
        try reader.scan(query) { batch, row in
            var bytes: [UInt8] = []
            try batch.writeJSON(row: row, to: &bytes)
            lines.append(String(decoding: bytes, as: UTF8.self))
            return true
        }
        return (lines, reader.blocksRead)
    }

    static func query(from: String? = nil, to: String? = nil, _ predicates: [(String, [String])] = []) throws -> ScanQuery {
        var q = ScanQuery(from: from.flatMap(Timestamp.init(iso8601:)), to: to.flatMap(Timestamp.init(iso8601:)))
        for (column, values) in predicates { try q.require(column, anyOf: values) }
        return q
    }

    @Test func anOldSegmentAloneIsReadBackExactly() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/old.smsa"
        try Self.writeOldArchive(Self.oldRows, at: archive, rejects: [Self.oldReject])
        let reader = try ArchiveReader(path: archive)
        #expect(try reader.segments.map(\.version) == [1])
        #expect(try reader.segments[0].blocks.map(\.rowCount) == [2, 2, 1])
        let (lines, blocksRead) = try Self.documents(archive)
        #expect(lines == Self.oldRows.map(\.line))
        for (got, want) in zip(lines, Self.oldRows) { #expect(Array(got.utf8) == Array(want.line.utf8)) }
        #expect(blocksRead == 3)
        #expect(try reader.rejects() == [Self.oldReject])
    }

    @Test func oldRowsKeepTheirStoredCategoryResourceAndTime() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/old.smsa"
        try Self.writeOldArchive(Self.oldRows, at: archive)
        var seen: [(Timestamp, String?, String?)] = []
        try ArchiveReader(path: archive).scan { batch, row in
            seen.append((Timestamp(ticks: batch.times[row]), batch.string(FieldSchema.category, row: row), batch.string(FieldSchema.resourceId, row: row)))
            return true
        }
        #expect(seen.map(\.0) == Self.oldRows.map { Timestamp(iso8601: $0.time)! })
        #expect(seen.map(\.1) == Self.oldRows.map(\.category))
        #expect(seen.map(\.2) == Self.oldRows.map(\.resourceId))
    }

    @Test func oldAndNewSegmentsMergeInTimeOrder() throws {
        let folder = TemporaryFolder()
        let archive = try Self.mixedArchive(folder)
        let reader = try ArchiveReader(path: archive)
        #expect(try reader.segments.map(\.version) == [1, 2])
        #expect(reader.manifest.segments.map(\.records) == [5, 4])
        // The new segment takes the sequence number the old manifest gave next.
        #expect(reader.manifest.nextSequence > 2)
        #expect(reader.manifest.segments[1].file.hasPrefix("segments/"))
        #expect(reader.manifest.segments[1].file.contains("000002-"))
        let (lines, _) = try Self.documents(archive)
        #expect(lines == Self.expectedOrder)
        #expect(try reader.rejects() == [Self.oldReject])
    }

    @Test func predicatesApplyToBothVersions() throws {
        let folder = TemporaryFolder()
        let archive = try Self.mixedArchive(folder)
        let cases: [(String, ScanQuery, [String])] = [
            ("phone in both", try Self.query([("PhoneNumber", ["+1A"])]), [Self.oldRows[0].line, Self.newLines[1]]),
            ("flat record's phone", try Self.query([("PhoneNumber", ["+1B"])]), [Self.oldRows[1].line]),
            ("country", try Self.query([("Country", ["ca"])]), [Self.newLines[0], Self.oldRows[1].line]),
            ("country, non-ASCII", try Self.query([("Country", ["é中文"])]), [Self.oldRows[3].line]),
            ("stored category from the path", try Self.query([("category", ["SMSOPERATIONAL"])]),
             [Self.oldRows[0].line, Self.newLines[0], Self.oldRows[1].line, Self.oldRows[2].line]),
            ("category member", try Self.query([("category", ["usage"])]), [Self.oldRows[3].line, Self.newLines[3]]),
            ("result", try Self.query([("resultType", ["failed"])]), [Self.oldRows[1].line]),
            ("message id", try Self.query([("MessageId", ["Outgoing_202610010000050f8fad5b-d9cb-469f-a165-70867728950e_noam"])]), [Self.oldRows[2].line]),
            ("operation", try Self.query([("operationName", ["SMSMessagesSent"])]), [Self.oldRows[0].line, Self.oldRows[1].line]),
            ("integer", try Self.query([("DeliveryAttempts", ["1"])]), [Self.oldRows[0].line]),
            // Quantity 1.0 is not a canonical integer (residual); the second Quantity, 2, is the column's value.
            ("residual integer does not match", try Self.query([("Quantity", ["1"])]), []),
            ("the later canonical duplicate is the column's", try Self.query([("Quantity", ["2"])]), [Self.oldRows[3].line]),
            ("time range", try Self.query(from: "2026-10-01T00:00:03.123456Z", to: "2026-10-01T00:00:09Z"),
             [Self.oldRows[1].line, Self.newLines[1], Self.oldRows[2].line, Self.oldRows[3].line]),
            ("time range and phones", try Self.query(from: "2026-10-01T00:00:02Z", to: "2026-10-01T00:00:10Z", [("PhoneNumber", ["+1E", "+1N", "+1M"])]),
             [Self.newLines[0], Self.oldRows[4].line, Self.newLines[2]]),
        ]
        for (name, query, expected) in cases {
            #expect(try Self.documents(archive, query).lines == expected, "\(name)")
        }
    }

    @Test func oldBlocksAreSkippedByTimeButNotByPhone() throws {
        let folder = TemporaryFolder()
        let archive = try Self.mixedArchive(folder)
        // Old blocks: 00:00:01-03, 00:00:05-07, 00:00:09. New: one block, 00:00:02-10.
        #expect(try Self.documents(archive, try Self.query(from: "2026-10-01T00:00:08Z")).blocksRead == 2)
        #expect(try Self.documents(archive, try Self.query(to: "2026-10-01T00:00:02Z")).blocksRead == 1)
        #expect(try Self.documents(archive, try Self.query(from: "2026-10-01T00:00:04Z", to: "2026-10-01T00:00:05Z")).blocksRead == 1)
        // Old blocks have no Bloom filter: a phone of neither segment reads every old block and no new one.
        let absent = try Self.documents(archive, try Self.query([("PhoneNumber", ["+1999"])]))
        #expect(absent.lines.isEmpty)
        #expect(absent.blocksRead == 3)
    }

    @Test func theCommandLineReadsAMixedArchive() throws {
        let folder = TemporaryFolder()
        let archive = try Self.mixedArchive(folder)
        let scan = try CommandLineTests.run(["scan", archive])
        #expect(scan.status == 0, "\(scan.stderr)")
        #expect(scan.stdoutLines.map { String(decoding: $0, as: UTF8.self) } == Self.expectedOrder)
        let count = try CommandLineTests.run(["scan", archive, "--count", "--country", "US"])
        #expect(String(decoding: count.stdout, as: UTF8.self) == "3\n")
        let fields = try CommandLineTests.run(["scan", archive, "--fields", "PhoneNumber,category", "--to", "2026-10-01T00:00:03Z"])
        #expect(String(decoding: fields.stdout, as: UTF8.self) == #"""
            {"PhoneNumber":"+1A","category":"SMSOperational"}
            {"PhoneNumber":"+1N","category":"SMSOperational"}

            """#)
        let info = try CommandLineTests.run(["info", archive])
        #expect(info.status == 0, "\(info.stderr)")
        let records = String(decoding: info.stdout, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix("records") }
        #expect(records.map { $0.split(separator: " ").map(String.init) } == ["records", "9"])
    }

    @Test func anOldRowThatIsNotJSONIsReportedAsDamage() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/bad.smsa"
        let rows = [OldRow(line: #"{"time":"2026-10-01T00:00:01Z"}"#, time: "2026-10-01T00:00:01Z", category: nil, resourceId: nil),
                    OldRow(line: "not json", time: "2026-10-01T00:00:02Z", category: nil, resourceId: nil)]
        try Self.writeOldArchive(rows, at: archive)
        #expect(throws: FormatError.self) { try Self.documents(archive) }
        let scan = try CommandLineTests.run(["scan", archive])
        #expect(scan.status == 1)
        #expect(scan.stderr.contains("damaged"))
    }
}
