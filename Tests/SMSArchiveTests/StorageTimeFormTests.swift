import Testing
@testable import SMSRecords

/// `Timestamp.parseStorageForm` reads `YYYY-MM-DDTHH:MM:SS.fffffffZ` alone, gives what `parse`
/// gives, and `TimeFormat.storage` rebuilds each text it takes (so ingest need not rebuild it).
@Suite struct StorageTimeFormTests {
    static func parseStorage(_ text: String) -> Int64? {
        var text = text
        return text.withUTF8 { Timestamp.parseStorageForm($0) }
    }

    // Ticks computed by Python's datetime: (seconds since the epoch) * 10^7 + the seven fraction digits.
    static let known: [(String, Int64)] = [
        ("2026-10-01T00:00:06.4610620Z", 17_908_128_064_610_620),
        ("2024-02-29T23:59:59.9999999Z", 17_092_511_999_999_999),
        ("0001-01-01T00:00:00.0000000Z", -621_355_968_000_000_000),
        ("9999-12-31T23:59:59.9999999Z", 2_534_023_007_999_999_999),
        ("1969-12-31T23:59:59.0000001Z", -9_999_999),
        ("2000-03-01T12:34:56.0000000Z", 9_519_140_960_000_000),
    ]

    @Test func readsTheStorageFormAsParseDoes() {
        for (text, ticks) in Self.known {
            #expect(Self.parseStorage(text) == ticks, "\(text)")
            #expect(Timestamp(iso8601: text)?.ticks == ticks)
            #expect(TimeFormat.exact(of: text, ticks: ticks) == .storage)
            #expect(TimeFormat.storage.text(for: ticks) == text)
        }
    }

    @Test func takesNothingElse() {
        for text in [
            "2026-13-01T00:00:00.0000000Z", "2026-00-01T00:00:00.0000000Z", "2026-02-29T00:00:00.0000000Z",
            "2026-04-31T00:00:00.0000000Z", "2026-10-00T00:00:00.0000000Z", "2026-10-01T24:00:00.0000000Z",
            "2026-10-01T00:60:00.0000000Z", "2026-10-01T00:00:60.0000000Z",
            // Other spellings, which `parse` reads and `TimeFormat.exact` checks the general way.
            "2026-10-01t00:00:00.0000000Z", "2026-10-01 00:00:00.0000000Z", "2026-10-01T00:00:00.0000000z",
            "2026-10-01T00:00:00.000000Z", "2026-10-01T00:00:00.00000000Z", "2026-10-01T00:00:00.0000000",
            "2026-10-01T00:00:00Z", "2026-10-01T00:00:00.0000000+00:00", "", "2026-10-01",
        ] {
            #expect(Self.parseStorage(text) == nil, "\(text)")
        }
        // A byte just below or above the digits, or a separator moved, at each position.
        let good = Array("2026-10-01T12:34:56.1234567Z".utf8)
        for position in good.indices {
            for replacement: UInt8 in [0x2F, 0x3A, 0x20, UInt8(ascii: "T")] where replacement != good[position] {
                var bad = good
                bad[position] = replacement
                let text = String(decoding: bad, as: UTF8.self)
                #expect(Self.parseStorage(text) == nil, "\(text)")
            }
        }
    }

    @Test func agreesWithParseOnManyTimes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let ticks = Int64.random(in: -621_355_968_000_000_000...2_534_023_007_999_999_999, using: &generator)
            let text = Timestamp(ticks: ticks).iso8601
            #expect(Self.parseStorage(text) == ticks, "\(text)")
            #expect(Timestamp(iso8601: text)?.ticks == ticks)
        }
    }
}
