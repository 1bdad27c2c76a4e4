import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords
@testable import SMSSupport

/// testdata/ goes in, every record and reject comes back: compared with
/// testdata/expected/, which the generator script wrote independently.
@Suite struct ArchiveRoundTripTests {
    /// Converts `inputs` into a new archive inside `folder`, returning its path.
    static func convert(_ inputs: [String], into folder: TemporaryFolder, options: ArchiveWriter.Options = .init()) throws -> String {
        let archive = folder.path + "/archive.smsa"
        let writer = try ArchiveWriter(path: archive, options: options)
        try ExportReader(inputs: inputs).read { event in
            switch event {
            case .record(let r): try writer.add(r)
            case .reject(let r): try writer.add(r)
            default: break
            }
        }
        try writer.commit()
        return archive
    }

    /// A scanned record: its time and its JSON text.
    struct ScannedRow {
        var time: Timestamp
        var document: [UInt8]
        var category: String?
        var resourceId: String?
    }

    static func scanAll(_ archive: String, _ query: ScanQuery = ScanQuery()) throws -> [ScannedRow] {
        var rows: [ScannedRow] = []
        try ArchiveReader(path: archive).scan(query) { batch, row in
            var bytes: [UInt8] = []
            try batch.writeJSON(row: row, to: &bytes)
            rows.append(ScannedRow(time: Timestamp(ticks: batch.times[row]), document: bytes,
                                   category: batch.string(FieldSchema.category, row: row),
                                   resourceId: batch.string(FieldSchema.resourceId, row: row)))
            return true
        }
        return rows
    }

    @Test func everyRecordOfTestdataComesBackEqual() throws {
        let folder = TemporaryFolder()
        // Small segments and blocks, so merging across segments and blocks is exercised too.
        var options = ArchiveWriter.Options()
        options.segmentRecords = 100
        options.blockRows = 16
        let archive = try Self.convert([testdataExport], into: folder, options: options)
        let rows = try Self.scanAll(archive)

        let expected = try lines(ofFile: repositoryRoot + "/testdata/expected/records.jsonl").map(foundationJSON)
        let summary = try foundationJSON(try Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/testdata/expected/summary.json"))) as! NSDictionary
        #expect(rows.count == (summary["records"] as! Int))
        #expect(rows.count == expected.count)

        // Multiset equality of JSON values, by an independent parser (Foundation).
        var unmatched = expected
        for row in rows {
            let value = try foundationJSON(row.document)
            if let i = unmatched.firstIndex(where: { $0.isEqual(value) }) {
                unmatched.remove(at: i)
            } else {
                Issue.record("not expected: \(String(decoding: row.document, as: UTF8.self).prefix(300))")
            }
        }
        #expect(unmatched.isEmpty)

        // In time order.
        #expect(rows.map(\.time) == rows.map(\.time).sorted())
    }

    @Test func timeTextAndNumberTextComeBackAsWritten() throws {
        let folder = TemporaryFolder()
        let line = #"{"time":"2026-10-01T00:00:07.5Z","n":[1.0,1e3,-0,12345678901234567890123,0.1],"s":"\u00e9\ud83d\ude00","z":null,"o":{"deep":{"er":[{}]}}}"#
        let blob = folder.write("PT1H.json", line + "\n")
        let archive = try Self.convert([blob], into: folder)
        let rows = try Self.scanAll(archive)
        #expect(rows.count == 1)
        #expect(String(decoding: rows[0].document, as: UTF8.self)
                == #"{"time":"2026-10-01T00:00:07.5Z","n":[1.0,1e3,-0,12345678901234567890123,0.1],"s":"é😀","z":null,"o":{"deep":{"er":[{}]}}}"#)
        #expect(try JSONParser.parseDocument(rows[0].document) == (try JSONParser.parseDocument(line)))
    }

    @Test func everyRejectOfTestdataIsKeptWithItsBytes() throws {
        let folder = TemporaryFolder()
        let archive = try Self.convert([testdataExport], into: folder)
        let rejects = try ArchiveReader(path: archive).rejects()

        struct Key: Hashable { var source: String; var line: Int; var reason: String }
        let expected = try lines(ofFile: repositoryRoot + "/testdata/expected/rejects.jsonl").map { line -> Key in
            let o = try foundationJSON(line) as! NSDictionary
            return Key(source: o["source"] as! String, line: o["line"] as! Int, reason: o["reason"] as! String)
        }
        let got = rejects.map { Key(source: String($0.source.dropFirst(testdataExport.count + 1)), line: $0.line, reason: $0.reason.rawValue) }
        #expect(Set(got) == Set(expected))
        #expect(got.count == expected.count)

        // The bytes kept are the line as it is in the (decompressed) file.
        for reject in rejects where !reject.source.hasSuffix(".gz") && reject.reason != .truncated {
            let file = try Data(contentsOf: URL(fileURLWithPath: reject.source))
            let fileLines = file.split(separator: 0x0A, omittingEmptySubsequences: false)
            var line = Array(fileLines[reject.line - 1])
            if line.last == 0x0D { line.removeLast() }
            if reject.line == 1, line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
            if String(decoding: file.prefix(20), as: UTF8.self).contains("\"records\"") {
                // An element of a legacy wrapper: it starts on this line, which may hold more.
                let text = String(decoding: reject.bytes, as: UTF8.self)
                let firstLine = text.split(separator: "\n", omittingEmptySubsequences: false)[0]
                #expect(String(decoding: line, as: UTF8.self).contains(firstLine), "\(reject.source):\(reject.line)")
                continue
            }
            #expect(reject.bytes == line, "\(reject.source):\(reject.line)")
        }
    }

    @Test func scanBoundsAreFromInclusiveToExclusiveAndSkipBlocks() throws {
        let folder = TemporaryFolder()
        let text = (0..<100).map { storageLine(time: "2026-10-01T00:\(String(format2: $0 / 60)):\(String(format2: $0 % 60)).0000000Z") }
            .joined(separator: "\n") + "\n"
        let blob = folder.write("PT1H.json", text)
        var options = ArchiveWriter.Options()
        options.blockRows = 10
        let archive = try Self.convert([blob], into: folder, options: options)
        let reader = try ArchiveReader(path: archive)
        var seen: [Timestamp] = []
        try reader.scan(ScanQuery(from: Timestamp(iso8601: "2026-10-01T00:00:25Z"), to: Timestamp(iso8601: "2026-10-01T00:00:45Z"))) {
            seen.append(Timestamp(ticks: $0.times[$1])); return true
        }
        #expect(seen.count == 20)
        #expect(seen.first == Timestamp(iso8601: "2026-10-01T00:00:25Z"))
        #expect(seen.last == Timestamp(iso8601: "2026-10-01T00:00:44Z"))
        #expect(reader.blocksRead == 3)   // blocks 20-29, 30-39, 40-49 of ten
    }

    @Test func aSecondConvertAddsASegmentAndBothAreScanned() throws {
        let folder = TemporaryFolder()
        let a = folder.write("a/PT1H.json", storageLine(time: "2026-10-01T00:00:02Z") + "\n")
        let b = folder.write("b/PT1H.json", storageLine(time: "2026-10-01T00:00:01Z") + "\n")
        let archive = try Self.convert([a], into: folder)
        let writer = try ArchiveWriter(path: archive)
        try ExportReader(inputs: [b]).read { if case .record(let r) = $0 { try writer.add(r) } }
        try writer.commit()
        let reader = try ArchiveReader(path: archive)
        #expect(reader.manifest.segments.count == 2)
        #expect(try Self.scanAll(archive).map(\.time) == [Timestamp(iso8601: "2026-10-01T00:00:01Z"), Timestamp(iso8601: "2026-10-01T00:00:02Z")])
    }

    @Test func anAbandonedWriteLeavesTheArchiveAsItWas() throws {
        let folder = TemporaryFolder()
        let a = folder.write("a/PT1H.json", storageLine() + "\n")
        let archive = try Self.convert([a], into: folder)
        let before = try FileIO.readAll(archive + "/manifest.json")
        let filesBefore = try FileIO.listDirectory(archive + "/segments")
        var options = ArchiveWriter.Options()
        options.segmentRecords = 1   // forces segment files to be written before the failure
        let writer = try ArchiveWriter(path: archive, options: options)
        try writer.add(try ingest([a]).records[0])
        try writer.add(try ingest([a]).records[0])
        writer.abandon()
        #expect(try FileIO.readAll(archive + "/manifest.json") == before)
        #expect(try FileIO.listDirectory(archive + "/segments") == filesBefore)
        #expect(try Self.scanAll(archive).count == 1)
    }

    @Test func refusesToWriteIntoSomethingThatIsNotAnArchive() throws {
        let folder = TemporaryFolder()
        let file = folder.write("plain-file", "hello")
        #expect(throws: ArchiveError.self) { try ArchiveWriter(path: file) }
        folder.write("busy/data.txt", "x")
        #expect(throws: ArchiveError.self) { try ArchiveWriter(path: folder.path + "/busy") }
        #expect(throws: (any Error).self) { try ArchiveReader(path: folder.path + "/missing") }
    }
}
