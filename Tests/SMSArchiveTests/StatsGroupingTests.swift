import Foundation
import Testing

/// `smsarchive stats --by`: several keys, day and hour (UTC), integer columns, missing values, and the
/// order of rows (by the keys, or by a metric with --sort), against Python's reading of the raw export.
@Suite struct StatsGroupingTests {
    @Test func dayAndOperationNameOverTheWholeExportMatchPython() throws {
        let fixture = try StatsFixture()
        let got = try fixture.stats(["--by", "DAY,operationname", "--metrics", StatsFixture.allMetrics.joined(separator: ",")])
        let expected = try fixture.expected(by: ["day", "operationName"], from: nil, to: nil, windowSeconds: 0)
        StatsFixture.compare(got, expected, by: ["day", "operationName"])
        #expect(Set(got.compactMap { $0["day"] as? String }) == ["2026-10-01", "2026-10-02"])
        // The header names are the schema's spelling, whatever --by wrote.
        #expect(got.first.map { Set($0.keys) } == Set(["day", "operationName"] + StatsFixture.allMetrics))
    }

    @Test func threeKeysMatchPython() throws {
        let fixture = try StatsFixture()
        let by = ["category", "resultType", "NumberType"]
        let got = try fixture.stats(["--by", by.joined(separator: ","), "--metrics", StatsFixture.allMetrics.joined(separator: ",")])
        StatsFixture.compare(got, try fixture.expected(by: by, from: nil, to: nil, windowSeconds: 0), by: by)
        #expect(got.count >= 6)
    }

    @Test func hourAndAnIntegerColumnWithMissingValuesMatchPython() throws {
        let fixture = try StatsFixture()
        let by = ["hour", "resultSignature"]
        let got = try fixture.stats(["--by", by.joined(separator: ","), "--from", "2026-10-01T10:00", "--to", "2026-10-01T14:00",
                                     "--metrics", StatsFixture.allMetrics.joined(separator: ",")])
        let expected = try fixture.expected(by: by, from: "2026-10-01T10:00:00Z", to: "2026-10-01T14:00:00Z", windowSeconds: 86400)
        StatsFixture.compare(got, expected, by: by)
        #expect(got.first?["hour"] as? String == "2026-10-01T10:00Z")
        #expect(got.contains { $0["resultSignature"] is NSNull }, "Usage records have no resultSignature: a group of its own, null")
        #expect(got.contains { $0["resultSignature"] as? Int == 202 }, "integers are JSON numbers")
    }

    @Test func sortByAMetricIsDescendingWithTiesByKey() throws {
        let fixture = try StatsFixture()
        let got = try fixture.stats(["--by", "Country", "--metrics", "failed,records", "--sort", "RECORDS"])
        let counts = got.map { $0["records"] as? Int ?? -1 }
        #expect(counts == counts.sorted(by: >))
        #expect(got.first?["Country"] as? String == "US")
        let byKey = try fixture.stats(["--by", "Country"])
        let countries = byKey.map { $0["Country"] as? String ?? "" }
        #expect(countries == countries.sorted())
        #expect(Set(countries) == Set(got.map { $0["Country"] as? String ?? "" }))
    }

    @Test func csvHasAHeaderOfKeysThenMetricsAndTableAlignsNumbers() throws {
        let fixture = try StatsFixture()
        let csv = try CommandLineTests.run(["stats", fixture.archive, "--by", "country,day", "--metrics", "records,failed",
                                            "--country", "ZZ", "--format", "csv"])
        #expect(csv.status == 0, "\(csv.stderr)")
        // By hand: ZZ has 7 records on 10-01 (one failed report) and the next-day report on 10-02.
        #expect(String(decoding: csv.stdout, as: UTF8.self) == "Country,day,records,failed\r\nZZ,2026-10-01,7,1\r\nZZ,2026-10-02,1,0\r\n")
        let table = try CommandLineTests.run(["stats", fixture.archive, "--by", "Country", "--country", "ZZ", "--metrics", "records,duration-p50"])
        #expect(String(decoding: table.stdout, as: UTF8.self) == "Country  records  duration-p50\nZZ             8            40\n")
        let empty = try CommandLineTests.run(["stats", fixture.archive, "--by", "Country", "--country", "XX", "--format", "csv"])
        #expect(String(decoding: empty.stdout, as: UTF8.self) == "Country,records\r\n", "no group: the header alone")
    }
}
