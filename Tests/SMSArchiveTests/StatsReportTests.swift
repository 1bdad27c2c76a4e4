import Foundation
import Testing

/// `smsarchive stats --format html`: one self-contained page whose chart is lines over time for day or hour
/// (one per value of the other field) and bars otherwise, with the table; text from the records is escaped.
/// (`make report-check` renders it in a browser.)
@Suite struct StatsReportTests {
    /// Sends on two days: US x3 and a hostile Country on 10-01, US x1 and GB x2 on 10-02.
    static let lines: [String] = {
        func send(_ time: String, _ country: String) -> String {
            #"{"time":"\#(time)","operationName":"SMSMessagesSent","resultType":"Succeeded","durationMs":10,"properties":{"Country":"\#(country)"}}"#
        }
        return [send("2026-10-01T01:00:00Z", "US"), send("2026-10-01T02:00:00Z", "US"), send("2026-10-01T03:00:00Z", "US"),
                send("2026-10-01T04:00:00Z", #"<b>&\"x"#), send("2026-10-02T01:00:00Z", "US"),
                send("2026-10-02T02:00:00Z", "GB"), send("2026-10-02T03:00:00Z", "GB")]
    }()

    static func page(_ arguments: [String]) throws -> String {
        let folder = TemporaryFolder()
        let archive = try ScanCommandTests.archive(Self.lines, in: folder)
        let run = try CommandLineTests.run(["stats", archive, "--format", "html"] + arguments)
        #expect(run.status == 0, "\(run.stderr)")
        return String(decoding: run.stdout, as: UTF8.self)
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    static func expectSelfContained(_ html: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(html.hasPrefix("<!DOCTYPE html>"), sourceLocation: sourceLocation)
        for banned in ["<script", "<link", "<img", "<iframe", "@import", "url("] {
            #expect(!html.lowercased().contains(banned), "\(banned)", sourceLocation: sourceLocation)
        }
        let urls = html.components(separatedBy: "http").dropFirst().map { "http" + $0.prefix { $0 != "\"" } }
        #expect(Set(urls).isSubset(of: ["http://www.w3.org/2000/svg"]), "\(urls)", sourceLocation: sourceLocation)
    }

    @Test func oneFieldDrawsOneBarPerGroupAndEscapesText() throws {
        let html = try Self.page(["--by", "Country"])
        Self.expectSelfContained(html)
        #expect(Self.count("<rect ", in: html) == 3, "US, GB and the hostile one")
        #expect(html.contains("&lt;b&gt;&amp;&quot;x"))
        #expect(!html.contains("<b>&"))
        // The table: header, then the rows in key order (bytes: "<" sorts before "G").
        let table = try #require(html.range(of: "<table>")).upperBound
        let rows = html[table...].components(separatedBy: "<tr>").dropFirst(2).map { $0.components(separatedBy: "</td>").first ?? "" }
        #expect(rows == ["<td>&lt;b&gt;&amp;&quot;x", "<td>GB", "<td>US"])
        #expect(html.contains(#"<td class="n">4</td>"#))
    }

    @Test func dayWithAnotherFieldDrawsOneLinePerValue() throws {
        let html = try Self.page(["--by", "day,Country", "--metrics", "records,duration-p50"])
        Self.expectSelfContained(html)
        #expect(Self.count("<path ", in: html) == 3, "one line per Country")
        #expect(html.contains(">10-01<") && html.contains(">10-02<"), "the days on the time axis")
        #expect(html.contains(">day (UTC)<"))
        #expect(html.contains(">by Country<"), "the legend says what the lines are")
        // US: 3 on 10-01 and 1 on 10-02; GB has no group on 10-01, a count of 0 there (a point at the axis).
        #expect(html.contains("<title>US 10-01: 3</title>") && html.contains("<title>US 10-02: 1</title>"))
        #expect(html.contains("<title>GB 10-01: 0</title>") && html.contains("<title>GB 10-02: 2</title>"))
    }

    /// Totals above the chart: counts summed over the groups; delivered as a share only of sends.
    @Test func totalsSumTheGroups() throws {
        let all = try Self.page(["--by", "Country", "--metrics", "records,delivered,duration-p50"])
        #expect(all.contains(#"<div class="label">records</div><div class="figure">7</div>"#))
        #expect(all.contains(#"<div class="label">delivered</div><div class="figure">0</div></div>"#), "no share: not only sends")
        #expect(!all.contains(#"<div class="label">duration-p50</div>"#), "a percentile has no total")
        let sends = try Self.page(["--by", "Country", "--metrics", "records,delivered", "--operation", "smsmessagessent"])
        #expect(sends.contains("0.0% of sends"))
    }

    @Test func noMatchingRecordSaysSo() throws {
        let html = try Self.page(["--by", "day", "--country", "FR"])
        Self.expectSelfContained(html)
        #expect(html.contains("No record matches."))
        #expect(!html.contains("<svg"))
    }
}
