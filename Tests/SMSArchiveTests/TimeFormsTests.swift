import Testing
@testable import SMSArchive
@testable import SMSRecords

/// Record times in every form Azure writes: ISO 8601 with 7, 3 or no fraction
/// digits, `Z` or an offset, and the US form `MM/DD/YYYY HH:MM:SS`, each kept as written.
@Suite struct TimeFormsTests {
    static func iso(_ text: String) -> Int64 { Timestamp(iso8601: text)!.ticks }

    @Test(arguments: [
        ("10/01/2026 13:05:09", "2026-10-01T13:05:09Z"),
        ("10/1/2026 1:05:09 PM", "2026-10-01T13:05:09Z"),
        ("1/2/2026 9:05:09 AM", "2026-01-02T09:05:09Z"),
        ("12/31/2026 12:00:00 AM", "2026-12-31T00:00:00Z"),
        ("12/31/2026 12:30:00 PM", "2026-12-31T12:30:00Z"),
        ("10/01/2026 13:05:09.123", "2026-10-01T13:05:09.123Z"),
        ("02/29/2024 23:59:59.9999999", "2024-02-29T23:59:59.9999999Z"),
    ])
    func theUSFormIsUTC(us: String, same: String) throws {
        #expect(Timestamp(recordTime: us)?.ticks == Self.iso(same))
        // And it is rebuilt from its ticks exactly.
        let format = try #require(TimeFormat.exact(of: us, ticks: Self.iso(same)))
        #expect(format.us != nil)
        #expect(format.text(for: Self.iso(same)) == us)
    }

    @Test(arguments: [
        "13/01/2026 13:05:09",      // month 13
        "02/30/2026 00:00:00",      // no 30 February
        "10/01/2026 13:05",         // no seconds
        "10/01/2026 13:05:09 PM",   // 13 on a 12-hour clock
        "10/01/2026 00:05:09 AM",   // 0 on a 12-hour clock
        "10/01/26 13:05:09",        // two-digit year
        "10/01/2026T13:05:09",
        "10/01/2026 13:05:09Z",
        "10/01/2026 13:05:09 pm",
        "10/01/2026 13:05:09.",
        "100/01/2026 13:05:09",
    ])
    func malformedUSTimesAreNotTimes(text: String) {
        #expect(Timestamp(recordTime: text) == nil)
    }

    @Test func isoFormsStillParseAsBefore() {
        #expect(Timestamp(recordTime: "2026-10-01T04:05:04.123+02:00")?.ticks == Self.iso("2026-10-01T02:05:04.123Z"))
        #expect(Timestamp(recordTime: "2026-10-01T02:05:03Z")?.ticks == Self.iso("2026-10-01T02:05:03.0000000Z"))
    }

    @Test func everyFormComesBackAsWrittenThroughAnArchive() throws {
        let texts = ["2026-10-01T02:05:01.1234567Z", "2026-10-01T02:05:02.123Z", "2026-10-01T02:05:03Z",
                     "2026-10-01T04:05:04.123+02:00", "10/01/2026 02:05:05", "10/1/2026 2:05:06 AM",
                     "10/01/2026 02:05:07.5", "1/1/2026 12:00:00 AM"]
        let folder = TemporaryFolder()
        let lines = texts.map { #"{"TimeGenerated":"\#($0)","PhoneNumber":"+1555"}"# }
        let blob = folder.write("PT05M.json", lines.joined(separator: "\n") + "\n")
        let archive = try ArchiveRoundTripTests.convert([blob], into: folder)
        let rows = try ArchiveRoundTripTests.scanAll(archive)
        #expect(Set(rows.map { String(decoding: $0.document, as: UTF8.self) }) == Set(lines))
        #expect(rows.map(\.time) == rows.map(\.time).sorted())
        // The US-form times made the segment need version 3.
        #expect(try ArchiveReader(path: archive).segment(0).version == 3)
    }

    @Test func anUnparsableTimeIsARejectWithThatReason() throws {
        let result = try ingest(text: #"{"TimeGenerated":"13/01/2026 13:05:09","x":1}"# + "\n")
        #expect(result.records.isEmpty)
        #expect(result.rejects.map(\.reason) == [.badTime])
        #expect(result.rejects.first?.detail.contains("13/01/2026 13:05:09") == true)
    }
}
