import Foundation
import Testing

/// `smsarchive stats`: every metric per group checked against Python's reading of the raw export,
/// including a delivery report on the day after its send, a send with no report and one with a failed report.
@Suite struct StatsMetricsTests {
    let metrics = ["--metrics", StatsFixture.allMetrics.joined(separator: ",")]

    @Test func everyMetricByCountryOverOneDayMatchesPython() throws {
        let fixture = try StatsFixture()
        let got = try fixture.stats(["--by", "country", "--from", "2026-10-01", "--to", "2026-10-02"] + metrics)
        let expected = try fixture.expected(by: ["Country"], from: "2026-10-01", to: "2026-10-02", windowSeconds: 86400)
        StatsFixture.compare(got, expected, by: ["Country"])
        #expect(got.count >= 10)
        #expect(got.contains { ($0["delivered"] as? Int ?? 0) > 100 }, "the generated sends are mostly delivered")

        // The hand-made group, by hand: 3 sends, 3 Usage records and the failed report (the successful one is
        // on the next day); delivered only the send whose report came after midnight; 3 + 2 + 1 segments.
        let zz = try #require(got.first { $0["Country"] as? String == "ZZ" })
        #expect(zz["records"] as? Int == 7)
        #expect(zz["failed"] as? Int == 1)
        #expect(zz["delivered"] as? Int == 1)
        #expect(zz["segments"] as? Int == 6)
        #expect(zz["duration-p50"] as? Int == 40)       // 30, 40, 60, 5000: the 2nd of 4
        // 5000 ms is above the exact range: its bucket's lowest value, within 0.1%.
        #expect((4995...5000).contains(zz["duration-p95"] as? Int ?? 0))
    }

    /// The join reads reports until --to plus --join-window: with no window the next-day report is not seen.
    @Test func theJoinWindowDecidesWhetherANextDayReportCounts() throws {
        let fixture = try StatsFixture()
        let sends = ["--operation", "SMSMessagesSent", "--country", "ZZ", "--from", "2026-10-01", "--to", "2026-10-02", "--by", "Country"]
        let wide = try fixture.stats(sends + ["--metrics", "records,delivered,segments", "--join-window", "1m"])
        #expect(wide.count == 1)
        #expect(wide.first?["records"] as? Int == 3)
        #expect(wide.first?["delivered"] as? Int == 1, "the report 5.5 s after midnight is in the window although --operation excludes reports")
        #expect(wide.first?["segments"] as? Int == 6, "Usage records count although --operation excludes them")
        let none = try fixture.stats(sends + ["--metrics", "delivered", "--join-window", "0m"])
        #expect(none.first?["delivered"] as? Int == 0)
        let expected = try fixture.expected(by: ["Country"], from: "2026-10-01", to: "2026-10-02", windowSeconds: 0,
                                            where: ["operationName": ["SMSMessagesSent"], "Country": ["ZZ"]])
        #expect(expected.first?[3] as? Int == 0, "Python agrees: \(expected)")
    }

    /// Predicates choose the grouped records only; without a time range every report and Usage record is joined.
    @Test func sendsOnlyWithoutATimeRangeMatchPython() throws {
        let fixture = try StatsFixture()
        let got = try fixture.stats(["--by", "NumberType", "--operation", "SMSMessagesSent"] + metrics)
        let expected = try fixture.expected(by: ["NumberType"], from: nil, to: nil, windowSeconds: 0,
                                            where: ["operationName": ["SMSMessagesSent"]])
        StatsFixture.compare(got, expected, by: ["NumberType"])
        #expect(got.count >= 2)
    }
}
