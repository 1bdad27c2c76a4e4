import Testing
@testable import SMSArchive
@testable import SMSRecords

/// gzip blobs: recognised by magic bytes, multi-member, and damaged streams.
@Suite struct GzipInputTests {
    let text: String = (1...200).map { storageLine(time: "2026-10-01T00:00:\(String(format2: $0 % 60)).0000000Z") }.joined(separator: "\n") + "\n"

    @Test func recognisesGzipByMagicNotName() throws {
        let result = try ingest(bytes: gzip(Array(text.utf8)), name: "PT1H.json")
        #expect(result.records.count == 200)
        #expect(result.rejects.isEmpty)
        let plainNamedGz = try ingest(bytes: Array(text.utf8), name: "PT1H.json.gz")
        #expect(plainNamedGz.records.count == 200)
    }

    @Test func readsEveryMemberOfAMultiMemberFile() throws {
        let bytes = Array(text.utf8)
        let middle = bytes.count / 2 + 7   // mid-line, on purpose
        let twoMembers = gzip(Array(bytes[..<middle])) + gzip(Array(bytes[middle...]))
        let result = try ingest(bytes: twoMembers, name: "PT1H.json.gz")
        #expect(result.records.count == 200)
        #expect(result.rejects.isEmpty)
        #expect(result.damaged.isEmpty)
    }

    @Test func aCutGzipKeepsTheRecordsBeforeTheDamage() throws {
        let compressed = gzip(Array(text.utf8))
        let result = try ingest(bytes: Array(compressed[..<(compressed.count * 2 / 3)]), name: "PT1H.json.gz")
        #expect(result.records.count > 0)
        #expect(result.records.count < 200)
        #expect(result.damaged.count == 1)
        #expect(result.rejects.last?.reason == .corruptInput)
        #expect(result.rejects.last?.detail.contains("gzip") == true)
        // Every record kept is one of the originals, in order.
        for (i, record) in result.records.enumerated() {
            #expect(record.time == Timestamp(iso8601: "2026-10-01T00:00:\(String(format2: (i + 1) % 60)).0000000Z"))
        }
    }

    @Test func aCorruptGzipIsReportedAndTheRunGoesOn() throws {
        var compressed = gzip(Array(text.utf8))
        compressed[compressed.count - 6] ^= 0xFF   // inside the CRC32 trailer
        let folder = TemporaryFolder()
        let bad = folder.write("a/PT1H.json.gz", compressed)
        let good = folder.write("b/PT1H.json", text)
        let result = try ingest([bad, good])
        #expect(result.damaged.count == 1)
        #expect(result.rejects.filter { $0.reason == .corruptInput }.map(\.source) == [bad])
        #expect(result.records.count == 400)   // the damage is in the trailer: all data came through
    }

    @Test func trailingGarbageAfterAMemberIsDamage() throws {
        let result = try ingest(bytes: gzip(Array(text.utf8)) + Array("garbage".utf8), name: "PT1H.json.gz")
        #expect(result.records.count == 200)
        #expect(result.rejects.map(\.reason) == [.corruptInput])
    }
}

extension String {
    init(format2 value: Int) { self = value < 10 ? "0\(value)" : "\(value)" }
}
