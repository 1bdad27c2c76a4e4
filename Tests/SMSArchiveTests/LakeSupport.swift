import Foundation
import Testing

/// A small archive fed day by day, as a nightly job feeds it, and what a lake exported from it
/// must hold: every record carries `properties.n`, a unique id, so that a row read twice or
/// lost shows.
struct LakeFixture {
    let folder = TemporaryFolder()
    var archive: String { folder.path + "/a.smsa" }
    var lake: String { folder.path + "/lake" }
    /// (category, date) → records added so far: the expected contents, kept by hand.
    private(set) var expected: [String: Int] = [:]

    /// Adds a blob of `count` records of `category` at `hour` of October `day`, 2026, and converts it.
    mutating func add(day: Int, hour: Int, count: Int, category: String = "SMSOperational") throws {
        let date = "2026-10-" + String(format2: day)
        let path = "export/insights-logs-\(category.lowercased().filter { $0.isLetter && $0.isASCII })/resourceId=/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/N/y=2026/m=10/d=\(String(format2: day))/h=\(String(format2: hour))/m=00/PT1H.json"
        let text = (0..<count).map { i in
            let time = "\(date)T\(String(format2: hour)):\(String(format2: i / 60 % 60)):\(String(format2: i % 60)).\(String(format: "%06d", i))0Z"
            let country = category == "Usage" ? "" : #","Country":"US""#
            return #"{"time":"\#(time)","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/N","operationName":"SMSMessagesSent","category":"\#(category)","properties":{"PhoneNumber":"+1833425\#(String(format: "%04d", i))"\#(country),"n":"\#(category)-\#(date)-\#(hour)-\#(i)"}}"#
        }.joined(separator: "\n") + "\n"
        folder.write(path, text)
        expected["\(category)/\(date)", default: 0] += count
        let convert = try CommandLineTests.run(["convert", folder.path + "/export", "-o", archive, "--quiet"])
        #expect(convert.status == 0, "\(convert.stderr)")
    }

    /// `smsarchive export ARCHIVE -o LAKE --incremental ...`.
    func export(_ extra: [String] = [], into output: String? = nil) throws -> CommandLineTests.Run {
        try CommandLineTests.run(["export", archive, "-o", output ?? lake, "--incremental"] + extra)
    }

    /// Every file under `root` with its inode and modification time: a file rewritten, even
    /// with the same bytes, shows.
    static func identities(_ root: String) -> [String: String] {
        var out: [String: String] = [:]
        for relative in ExportCommandTests.files(root) {
            var info = stat()
            if stat(root + "/" + relative, &info) == 0 {
                out[relative] = "\(info.st_ino)/\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            }
        }
        return out
    }

    /// What DuckDB reads from `OUT/**/*.parquet` (hive partitioning): rows per category/date, and
    /// the number of distinct ids (equal to the rows when no record is read twice).
    static func globCounts(_ lake: String) throws -> (perPartition: [String: Int], rows: Int, distinct: Int) {
        let result = try Python.json(#"""
        import sys, json, duckdb
        q = f"FROM read_parquet('{sys.argv[1]}/**/*.parquet', hive_partitioning=true)"
        per = {f"{c}/{d}": n for c, d, n in duckdb.sql(f"SELECT category, CAST(date AS VARCHAR), count(*) {q} GROUP BY ALL").fetchall()}
        rows, distinct = duckdb.sql(f"SELECT count(*), count(DISTINCT json_extract_string(extra, '$.n')) {q}").fetchall()[0]
        print(json.dumps({"per": per, "rows": rows, "distinct": distinct}))
        """#, [lake]) as! [String: Any]
        return (result["per"] as! [String: Int], result["rows"] as! Int, result["distinct"] as! Int)
    }
}
