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
        // The member fails its CRC, so none of its lines can be trusted as records: each is kept as a
        // corrupt-input reject holding the line as inflated, then one names the damage. The good blob is whole.
        let corrupt = result.rejects.filter { $0.reason == .corruptInput }
        #expect(Set(corrupt.map(\.source)) == [bad])
        #expect(corrupt.count == 201)
        let lines = text.split(separator: "\n").map { Array($0.utf8) }
        #expect(corrupt.prefix(200).map(\.bytes) == lines)
        #expect(corrupt.prefix(200).map(\.line) == Array(1...200))
        #expect(corrupt.allSatisfy { $0.detail.contains("incorrect data check") })
        #expect(result.records.count == 200)
    }

    /// A flipped byte in the stored data changes a phone number; before, the altered record was
    /// archived as good beside a reject naming the damage at the end.
    @Test func anAlteredLineOfADamagedMemberIsNeverARecord() throws {
        let lines = (0..<5).map { "{\"time\":\"2026-10-01T02:00:0\($0)Z\",\"properties\":{\"PhoneNumber\":\"+1555000000\($0)\"}}\n" }
        var compressed = gzip(Array(lines.joined().utf8), level: 0)   // stored: the text is there to alter
        let at = compressed.firstRange(of: Array("+15550000002".utf8))!.lowerBound
        compressed[at + 1] = UInt8(ascii: "9")
        let result = try ingest(bytes: compressed, name: "PT1H.json.gz")
        #expect(result.records.isEmpty)
        #expect(result.rejects.filter { $0.reason == .corruptInput }.count == 6)
        #expect(result.rejects.contains { String(decoding: $0.bytes, as: UTF8.self).contains("+95550000002") })
        // Cut short instead (no check to fail): what came before the cut is taken, as ever.
        let cut = try ingest(bytes: Array(gzip(Array(lines.joined().utf8)).dropLast(12)), name: "PT1H.json.gz")
        #expect(cut.records.count >= 1)
        #expect(!cut.rejects.contains { $0.detail.contains("inflated from the damaged part") })
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
