import Foundation
import Testing
@testable import ParquetWriter

/// Files written here read back in pyarrow and DuckDB with every value, type and statistic.
@Suite struct ParquetFileRoundTripTests {
    static let rows = 30_000
    static let base: Int64 = 1_790_812_800_000_000_000   // 2026-10-01T00:00:00Z in ns

    static func time(_ i: Int) -> Int64 { base + Int64(i) * 123_456_789 }
    static func name(_ i: Int) -> String? {
        i % 7 == 0 ? nil : ["alpha", "Beta", "ça", "日本", "", "z\u{0}z"][i % 6] + String(i % 40)
    }
    static func number(_ i: Int) -> Int64? { i % 5 == 0 ? nil : Int64(i) * (i % 2 == 0 ? -1_000_000_007 : 1_000_000_007) }
    static func identifier(_ i: Int) -> String { "id-\(i)-\(String(repeating: "x", count: i % 13))" }
    static func small(_ i: Int) -> Int64? { i % 3 == 0 ? nil : Int64(i % 1000) - 500 }

    static let schema = ParquetSchema([
        .timestamp("time", unit: .nanos, repetition: .required),
        .string("name"),
        .int64("n"),
        .string("id", repetition: .required),
        ParquetColumn(name: "small", type: .int32, logicalType: .integer(bitWidth: 32, signed: true)),
        .string("empty"),
    ])

    /// Writes the test file: several row groups and pages, one column past its dictionary limit.
    static func write(_ path: String, compression: Compression = .zstd(level: 3)) throws {
        var options = ParquetFileWriter.Options()
        options.compression = compression
        options.pageRows = 1000
        options.rowGroupRows = 7000
        options.dictionaryPageLimit = 4096
        options.keyValueMetadata = [.init("origin", "tests")]
        let writer = try ParquetFileWriter(path: path, schema: schema, options: options)
        for i in 0..<rows {
            writer.append(0, int64: time(i))
            writer.append(1, string: name(i))
            writer.append(2, int64: number(i))
            writer.append(3, string: identifier(i))
            writer.append(4, int64: small(i))
            writer.append(5, string: nil)
            try writer.endRow()
        }
        try writer.close()
    }

    static let pyarrowScript = """
    import sys, json, pyarrow.parquet as pq
    f = pq.ParquetFile(sys.argv[1])
    t = f.read()
    md = f.metadata
    out = {"types": {fld.name: str(fld.type) for fld in t.schema}, "nullable": {fld.name: fld.nullable for fld in t.schema},
           "row_groups": md.num_row_groups, "rows": md.num_rows, "kv": {k.decode(): v.decode() for k, v in (md.metadata or {}).items()},
           "codec": md.row_group(0).column(0).compression,
           "stats": [], "columns": {}}
    for g in range(md.num_row_groups):
        rg = md.row_group(g)
        entry = {}
        for c in range(rg.num_columns):
            s = rg.column(c).statistics
            entry[rg.column(c).path_in_schema] = [s.null_count, s.has_min_max]
        name = rg.column(1).statistics
        entry["name_bounds"] = [name.min, name.max] if name.has_min_max else None
        n = rg.column(2).statistics
        entry["n_bounds"] = [n.min, n.max]
        entry["rows"] = rg.num_rows
        out["stats"].append(entry)
    t2 = t.set_column(0, "time", t.column("time").cast("int64"))
    for name in t2.column_names:
        out["columns"][name] = t2.column(name).to_pylist()
    print(json.dumps(out))
    """

    static let duckdbScript = """
    import sys, json, duckdb
    con = duckdb.connect()
    path = sys.argv[1]
    rows = con.execute("SELECT epoch_ns(time), name, n, id, small, empty FROM read_parquet(?)", [path]).fetchall()
    types = con.execute("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(?))", [path]).fetchall()
    stats = con.execute("SELECT row_group_id, path_in_schema, stats_min_value, stats_max_value, stats_null_count FROM parquet_metadata(?) WHERE path_in_schema IN ('time','name') ORDER BY row_group_id, path_in_schema", [path]).fetchall()
    print(json.dumps({"rows": [list(r) for r in rows], "types": dict(types), "stats": [list(s) for s in stats]}))
    """

    @Test(arguments: [Compression.zstd(level: 3), .uncompressed])
    func pyarrowReadsEveryValueTypeAndStatistic(compression: Compression) throws {
        let folder = PythonReaders.Folder()
        let path = folder.path + "/t.parquet"
        try Self.write(path, compression: compression)
        let result = try PythonReaders.json(Self.pyarrowScript, [path]) as! [String: Any]

        #expect(result["rows"] as? Int == Self.rows)
        #expect(result["row_groups"] as? Int == 5)   // 7000 rows a group: 4 full and 2000 left
        #expect(result["codec"] as? String == (compression == .uncompressed ? "UNCOMPRESSED" : "ZSTD"))
        #expect(result["kv"] as? [String: String] == ["origin": "tests"])
        let types = result["types"] as! [String: String]
        #expect(types == ["time": "timestamp[ns, tz=UTC]", "name": "string", "n": "int64", "id": "string", "small": "int32", "empty": "string"])
        let nullable = result["nullable"] as! [String: Bool]
        #expect(nullable["time"] == false && nullable["id"] == false && nullable["name"] == true)

        let columns = result["columns"] as! [String: [Any]]
        let range = 0..<Self.rows
        #expect(columns["time"]!.map { ($0 as! NSNumber).int64Value } == range.map(Self.time))
        #expect(columns["name"]!.map { $0 as? String } == range.map(Self.name))
        #expect(columns["n"]!.map { ($0 as? NSNumber)?.int64Value } == range.map(Self.number))
        #expect(columns["id"]!.map { $0 as? String } == range.map(Self.identifier))
        #expect(columns["small"]!.map { ($0 as? NSNumber)?.int64Value } == range.map(Self.small))
        #expect(columns["empty"]!.allSatisfy { $0 is NSNull })

        // Statistics of each row group, computed here from the generated values.
        let stats = result["stats"] as! [[String: Any]]
        #expect(stats.count == 5)
        for (g, entry) in stats.enumerated() {
            let group = (g * 7000)..<min(Self.rows, (g + 1) * 7000)
            #expect(entry["rows"] as? Int == group.count)
            let names = group.compactMap(Self.name)
            let bounds = entry["name_bounds"] as? [String]
            #expect(bounds?[0] == names.min { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect(bounds?[1] == names.max { $0.utf8.lexicographicallyPrecedes($1.utf8) })
            #expect((entry["name"] as? [Any])?.first as? Int == group.count - names.count)
            let numbers = group.compactMap(Self.number)
            #expect((entry["n_bounds"] as? [NSNumber])?.map(\.int64Value) == [numbers.min()!, numbers.max()!])
            #expect((entry["empty"] as? [Any])?.first as? Int == group.count)
        }
    }

    @Test func duckdbReadsEveryValueTypeAndStatistic() throws {
        let folder = PythonReaders.Folder()
        let path = folder.path + "/t.parquet"
        try Self.write(path)
        let result = try PythonReaders.json(Self.duckdbScript, [path]) as! [String: Any]
        let rows = result["rows"] as! [[Any]]
        #expect(rows.count == Self.rows)
        for (i, row) in rows.enumerated() where i < Self.rows {
            let ok = (row[0] as? NSNumber)?.int64Value == Self.time(i)
                && row[1] as? String == Self.name(i)
                && (row[2] as? NSNumber)?.int64Value == Self.number(i)
                && row[3] as? String == Self.identifier(i)
                && (row[4] as? NSNumber)?.int64Value == Self.small(i)
                && row[5] is NSNull
            if !ok { Issue.record("row \(i): \(row)"); break }
        }
        var types = result["types"] as! [String: String]
        // DuckDB 1.x reads nanosecond UTC timestamps as TIMESTAMP WITH TIME ZONE, 2.x as TIMESTAMPTZ_NS.
        #expect(["TIMESTAMPTZ_NS", "TIMESTAMP WITH TIME ZONE"].contains(types["time"]))
        types["time"] = nil
        #expect(types == ["name": "VARCHAR", "n": "BIGINT", "id": "VARCHAR", "small": "INTEGER", "empty": "VARCHAR"])
        // Time statistics per row group: the first and last time of the group.
        let stats = (result["stats"] as! [[Any]]).filter { $0[1] as? String == "time" }
        #expect(stats.count == 5)
        for (g, s) in stats.enumerated() {
            let first = g * 7000, last = min(Self.rows, (g + 1) * 7000) - 1
            #expect(s[4] as? Int == 0)
            // DuckDB prints TIMESTAMP_NS statistics as timestamps; compare with the value's text.
            #expect((s[2] as? String)?.hasPrefix(Self.text(Self.time(first))) == true, "\(s)")
            #expect((s[3] as? String)?.hasPrefix(Self.text(Self.time(last))) == true, "\(s)")
        }
    }

    /// `YYYY-MM-DD HH:MM:SS` of a nanosecond time, for statistics DuckDB prints as text.
    static func text(_ ns: Int64) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
        return formatter.string(from: Date(timeIntervalSince1970: Double(ns / 1_000_000_000)))
    }

    @Test func aFileIsFramedByMagicAndFooterLength() throws {
        let folder = PythonReaders.Folder()
        let path = folder.path + "/t.parquet"
        try Self.write(path)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(Array(bytes.prefix(4)) == Array("PAR1".utf8))
        #expect(Array(bytes.suffix(4)) == Array("PAR1".utf8))
        let n = bytes.count
        let footerLength = Int(bytes[n - 8]) | Int(bytes[n - 7]) << 8 | Int(bytes[n - 6]) << 16 | Int(bytes[n - 5]) << 24
        #expect(footerLength > 0 && footerLength < n - 12)
        // FileMetaData starts with field 1 (version) = 2: 0x15 0x04.
        #expect(Array(bytes[(n - 8 - footerLength)..<(n - 8 - footerLength + 2)]) == [0x15, 0x04])
    }
}
