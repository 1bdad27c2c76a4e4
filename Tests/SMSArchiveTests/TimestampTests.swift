import Testing
@testable import SMSArchive
@testable import SMSRecords

@Suite struct TimestampTests {
    // Expected tick values were computed independently: Python's
    // datetime(2026,10,1,tzinfo=utc).timestamp() == 1790812800.
    @Test func parsesAzureSpellings() {
        let midnight: Int64 = 1_790_812_800 * 10_000_000
        #expect(Timestamp(iso8601: "2026-10-01T00:00:00Z")?.ticks == midnight)
        #expect(Timestamp(iso8601: "2026-10-01T00:00:06.4610620Z")?.ticks == midnight + 64_610_620)
        #expect(Timestamp(iso8601: "2026-10-01T00:00:07.5Z")?.ticks == midnight + 75_000_000)
        #expect(Timestamp(iso8601: "2026-10-01 00:00:07.5z")?.ticks == midnight + 75_000_000)
        #expect(Timestamp(iso8601: "2026-10-01T00:00:07.123456789")?.ticks == midnight + 71_234_567)
        #expect(Timestamp(iso8601: "2026-10-01T02:00:07.1234567+02:00")?.ticks == midnight + 71_234_567)
        #expect(Timestamp(iso8601: "2026-09-30T23:00:00-01:00")?.ticks == midnight)
        #expect(Timestamp(iso8601: "1970-01-01T00:00:00Z")?.ticks == 0)
        #expect(Timestamp(iso8601: "1969-12-31T23:59:59.9999999Z")?.ticks == -1)
        #expect(Timestamp(iso8601: "2024-02-29T00:00:00Z") != nil)
    }

    @Test(arguments: [
        "yesterday", "", "2026-10-01", "2026-10-01T00:00", "2026-10-01T00:00:07.Z", "2026-10-01T00:00:07 Z",
        "2026-10-01T00:00:07.1234567890Z", "2026-10-01T00:00:07+0200", "2026-13-01T00:00:00Z", "2026-02-29T00:00:00Z",
        "2026-10-01T24:00:00Z", "2026-10-01T00:60:00Z", "2026-10-01T00:00:60Z", "2026-10-01T02:99", "2026-10-01X00:00:00Z",
        "2026-10-01T00:00:00ZZ", "26-10-01T00:00:00Z",
    ])
    func rejectsOtherText(text: String) {
        #expect(Timestamp(iso8601: text) == nil)
    }

    @Test func queryBoundsAreLenient() {
        let midnight: Int64 = 1_790_812_800 * 10_000_000
        #expect(Timestamp(queryBound: "2026-10-01")?.ticks == midnight)
        #expect(Timestamp(queryBound: "2026-10-01T01:30")?.ticks == midnight + 5_400 * 10_000_000)
        #expect(Timestamp(queryBound: "2026-10-01T01:00+0100")?.ticks == midnight)
        #expect(Timestamp(queryBound: "soon") == nil)
    }

    @Test func formatsSevenDigits() {
        #expect(Timestamp(ticks: 1_790_812_800 * 10_000_000 + 64_610_620).iso8601 == "2026-10-01T00:00:06.4610620Z")
        #expect(Timestamp(ticks: -1).iso8601 == "1969-12-31T23:59:59.9999999Z")
    }
}
