import Foundation
import Testing

/// `export --format delta --incremental` read back by delta-rs (`pip install deltalake`), and
/// by polars and DuckDB through it: version by version, including after a run that replaced a
/// day; rows equal to what `scan` returns; one commit per run with the removals and additions.
@Suite struct DeltaTableTests {
    /// Reads version `argv[2]` of the table `argv[1]` (or the latest, for -1): rows per
    /// category/date, and the rows themselves as comparable tuples; with `argv[3]`, the same
    /// tuples from `scan --format jsonl` output, which must be equal.
    static let readScript = #"""
    import os, sys, json
    from deltalake import DeltaTable
    path, version = sys.argv[1], int(sys.argv[2])
    dt = DeltaTable(path) if version < 0 else DeltaTable(path, version=version)
    t = dt.to_pyarrow_table()
    rows = []
    per = {}
    for r in t.to_pylist():
        key = f"{r['category']}/{r['date'].isoformat()}"
        per[key] = per.get(key, 0) + 1
        rows.append([r["time"].strftime("%Y-%m-%dT%H:%M:%S.%f"), r["category"], r["PhoneNumber"], json.loads(r["extra"])["n"]])
    out = {"version": dt.version(), "per": per, "rows": len(rows), "protocol": [dt.protocol().min_reader_version, dt.protocol().min_writer_version],
           "partitionColumns": dt.metadata().partition_columns}
    if len(sys.argv) > 3:
        scanned = []
        for line in open(sys.argv[3]):
            rec = json.loads(line)
            p = rec["properties"]
            scanned.append([rec["time"][:26], rec["category"], p["PhoneNumber"], p["n"]])
        out["equalToScan"] = sorted(rows) == sorted(scanned)
        out["scanRows"] = len(scanned)
    print(json.dumps(out), flush=True)
    os._exit(0)   # pyarrow's threads sometimes abort the interpreter's teardown on a loaded machine
    """#

    static func read(_ table: String, version: Int = -1, scan archive: String? = nil) throws -> [String: Any] {
        var arguments = [table, String(version)]
        if let archive {
            let scanned = FileManager.default.temporaryDirectory.path + "/delta-scan-\(UUID().uuidString).jsonl"
            defer { try? FileManager.default.removeItem(atPath: scanned) }
            let scan = try CommandLineTests.run(["scan", archive, "-o", scanned])
            #expect(scan.status == 0, "\(scan.stderr)")
            arguments.append(scanned)
            return try Python.json(readScript, arguments) as! [String: Any]
        }
        return try Python.json(readScript, arguments) as! [String: Any]
    }

    /// The actions of commit `version`, by kind: the paths of add and remove actions, the others' count.
    static func actions(_ table: String, version: Int) throws -> [String: [String]] {
        let name = String(repeating: "0", count: 20 - String(version).count) + "\(version).json"
        let text = try String(contentsOfFile: table + "/_delta_log/" + name, encoding: .utf8)
        var out: [String: [String]] = [:]
        for line in text.split(separator: "\n") {
            let action = try foundationJSON(Data(line.utf8)) as! [String: Any]
            for (kind, body) in action {
                out[kind, default: []].append(((body as? [String: Any])?["path"] as? String) ?? kind)
            }
        }
        return out
    }

    @Test func deltaRsReadsEveryVersionAndTheRowsScanReturns() throws {
        var lake = try IncrementalExportTests.threeDays()
        let first = try lake.export(["--format", "delta"])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stderr.contains("Delta version 0"), "\(first.stderr)")
        let expectedV0 = lake.expected
        let v0 = try Self.read(lake.lake, scan: lake.archive)
        #expect(v0["version"] as? Int == 0)
        #expect(v0["per"] as? [String: Int] == expectedV0)
        #expect(v0["equalToScan"] as? Bool == true)
        #expect(v0["protocol"] as? [Int] == [1, 2])
        #expect(v0["partitionColumns"] as? [String] == ["category", "date"])

        // The next night: a new day, and late records for day 2.
        try lake.add(day: 4, hour: 1, count: 12)
        try lake.add(day: 2, hour: 22, count: 6)
        let second = try lake.export(["--format", "delta"])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("of 2 days (2026-10-02 to 2026-10-04)") && second.stderr.contains("Delta version 1"), "\(second.stderr)")
        let v1 = try Self.read(lake.lake, scan: lake.archive)
        #expect(v1["version"] as? Int == 1)
        #expect(v1["per"] as? [String: Int] == lake.expected)
        #expect(v1["rows"] as? Int == 82 + 18)
        #expect(v1["equalToScan"] as? Bool == true)
        // Version 0 is still there as it was (its files stay until a VACUUM).
        #expect(try Self.read(lake.lake, version: 0)["per"] as? [String: Int] == expectedV0)

        // One commit: the removal of day 2's files and the new files of days 2 and 4, nothing else.
        let commit = try Self.actions(lake.lake, version: 1)
        #expect(commit["remove"]?.sorted() == ["category=SMSOperational/date=2026-10-02/part-0-v0.parquet", "category=Usage/date=2026-10-02/part-0-v0.parquet"])
        #expect(commit["add"]?.sorted() == ["category=SMSOperational/date=2026-10-02/part-0-v1.parquet", "category=SMSOperational/date=2026-10-04/part-0-v1.parquet",
                                            "category=Usage/date=2026-10-02/part-0-v1.parquet"])
        #expect(commit["commitInfo"]?.count == 1 && commit["protocol"] == nil && commit["metaData"] == nil)
        let opening = try Self.actions(lake.lake, version: 0)
        #expect(opening["protocol"]?.count == 1 && opening["metaData"]?.count == 1 && opening["remove"] == nil && opening["add"]?.count == 4)

        // Nothing new: no version 2.
        let third = try lake.export(["--format", "delta"])
        #expect(third.stderr.contains("nothing new since the last export") && third.stderr.contains("Delta version 1"), "\(third.stderr)")
        #expect(!FileManager.default.fileExists(atPath: lake.lake + "/_delta_log/00000000000000000002.json"))
    }

    @Test func polarsAndDuckDBReadTheTable() throws {
        var lake = try IncrementalExportTests.threeDays()
        #expect(try lake.export(["--format", "delta"]).status == 0)
        try lake.add(day: 2, hour: 23, count: 4)
        #expect(try lake.export(["--format", "delta"]).status == 0)
        let result = try Python.json(#"""
        import os, sys, json, datetime, duckdb, polars as pl
        from deltalake import DeltaTable
        path = sys.argv[1]
        df = pl.read_delta(path)
        day2 = df.filter(pl.col("date") == datetime.date(2026, 10, 2))
        dataset = DeltaTable(path).to_pyarrow_dataset()
        duck = duckdb.sql("SELECT count(*), count(*) FILTER (WHERE date = DATE '2026-10-02'), "
                          "strftime(max(time), '%Y-%m-%dT%H:%M:%S.%f') FROM dataset").fetchall()[0]
        print(json.dumps({"polars": [df.height, day2.height], "duckdb": [duck[0], duck[1]], "maxTime": duck[2]}), flush=True)
        os._exit(0)   # as in readScript
        """#, [lake.lake]) as! [String: Any]
        #expect(result["polars"] as? [Int] == [86, 31])
        #expect(result["duckdb"] as? [Int] == [86, 31])
        // The last record of day 3: hour 6, record 24, whose time ends in microsecond 24.
        #expect(result["maxTime"] as? String == "2026-10-03T06:00:24.000024")
    }

    @Test func categoriesThatNeedEscapingAreReadBackAsTheyAre() throws {
        var lake = LakeFixture()
        let odd = "Odd: cat/50% é"
        try lake.add(day: 1, hour: 0, count: 3, category: odd)
        try lake.add(day: 1, hour: 1, count: 2)
        #expect(try lake.export(["--format", "delta"]).status == 0)
        let read = try Self.read(lake.lake, scan: lake.archive)
        #expect(read["per"] as? [String: Int] == ["\(odd)/2026-10-01": 3, "SMSOperational/2026-10-01": 2])
        #expect(read["equalToScan"] as? Bool == true)
        let adds = try Self.actions(lake.lake, version: 0)["add"] ?? []
        #expect(adds.contains("category=Odd%253A%20cat%252F50%2525%20%C3%A9/date=2026-10-01/part-0-v0.parquet"), "\(adds)")
    }
}
