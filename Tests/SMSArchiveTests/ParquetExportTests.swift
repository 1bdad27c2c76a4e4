import Foundation
import Testing
@testable import SMSArchive
@testable import SMSExport
@testable import SMSRecords

/// testdata exported to Parquet and read back by pyarrow and DuckDB: every file, every
/// column of every row against what `scan` returns, declared types, statistics, partition pruning.
@Suite struct ParquetExportTests {
    /// The file columns and their types, written out by hand from the issue's mapping.
    static let expectedColumns: [(name: String, integer: Bool)] = [
        ("resourceId", false), ("operationName", false), ("operationVersion", false), ("resultType", false),
        ("resultSignature", true), ("resultDescription", false), ("durationMs", true), ("callerIpAddress", false),
        ("correlationId", false), ("level", false), ("location", false), ("URI", false),
        ("OutgoingMessageLength", true), ("IncomingMessageLength", true), ("DeliveryAttempts", true),
        ("PhoneNumber", false), ("NumberType", false), ("SdkType", false), ("PlatformType", false), ("Method", false),
        ("MessageId", false), ("Country", false), ("RecordId", false), ("UsageType", false), ("UnitType", false),
        ("Quantity", true), ("Direction", false),
    ]
    static var allNames: [String] { ["time"] + expectedColumns.map(\.name) + ["extra"] }

    /// One scanned record: where it must land and the values every column must hold.
    struct Expected {
        var partition: String
        /// The record's effective category, as it has it.
        var category: String?
        /// The spelling of its `category=` folder: one per category whatever the letter case (README).
        var folderCategory: String?
        var date: String
        var ticks: Int64
        var resourceId: String?
        var members: [JSONMember]
        /// Per expected column: Int64, String or nil.
        var values: [Any?]
    }

    // MARK: The expected values, derived from each record's JSON

    /// Top-level members, with those of the first `properties` object in its place (the archive's field lookup).
    /// `properties` may also be a string holding the object's compact JSON (type drift): its members are
    /// flattened for the typed columns' values, but `extra` keeps the string whole (`keepingEscaped`).
    static func flattened(_ object: JSONObject, keepingEscaped: Bool = false) -> [JSONMember] {
        var out: [JSONMember] = []
        var sawProperties = false
        for m in object.members {
            if !sawProperties, m.key.lowercased() == "properties", let inner = propertiesObject(m.value) {
                sawProperties = true
                if keepingEscaped, case .string = m.value { out.append(m) } else { out += inner.members }
            } else {
                out.append(m)
            }
        }
        return out
    }

    /// The object of a `properties` value: an object, or a string whose text is an object's compact JSON.
    static func propertiesObject(_ value: JSONValue) -> JSONObject? {
        switch value {
        case .object(let inner): return inner
        case .string(let text):
            guard let parsed = try? foundationJSON(Array(text.utf8)) as? NSDictionary, parsed.count > 0,
                  case .object(let inner)? = try? JSONParser.parseDocument(Array(text.utf8)),
                  JSONWriter.bytes(of: .object(inner)) == Array(text.utf8) else { return nil }
            return inner
        default: return nil
        }
    }

    static func isCanonicalInteger(_ text: String) -> Bool {
        text.range(of: #"^-?(0|[1-9][0-9]{0,17})$"#, options: .regularExpression) != nil
    }

    /// The integer a JSON number text (or a string holding one) denotes, when integral and within Int64.
    static func integralValue(_ text: String) -> Int64? {
        guard text.range(of: #"^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$"#, options: .regularExpression) != nil,
              let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        var rounded = Decimal(), value = d
        NSDecimalRound(&rounded, &value, 0, .plain)
        guard rounded == d, d >= Decimal(Int64.min), d <= Decimal(Int64.max) else { return nil }
        return Int64(NSDecimalNumber(decimal: d).stringValue)
    }

    /// A column's value: the first member of its name holding the column's type; else the first member of
    /// its name converted (numbers and booleans as text for strings, integral numbers for integers).
    static func expectedValue(_ members: [JSONMember], _ name: String, integer: Bool) -> Any? {
        let named = members.filter { $0.key.lowercased() == name.lowercased() }
        if integer {
            for m in named { if case .number(let t) = m.value, isCanonicalInteger(t) { return Int64(t)! } }
            switch named.first?.value {
            case .number(let t)?, .string(let t)?: return integralValue(t)
            default: return nil
            }
        }
        for m in named { if case .string(let s) = m.value { return s } }
        switch named.first?.value {
        case .number(let t)?: return t
        case .bool(let b)?: return b ? "true" : "false"
        default: return nil
        }
    }

    static func expectedRows(_ archive: String) throws -> [Expected] {
        var rows: [Expected] = []
        // The documented category names, else the first spelling met (scan order is the export's order).
        var spellings = ["smsoperational": "SMSOperational", "usage": "Usage"]
        try ArchiveReader(path: archive).scan(ScanQuery()) { batch, row in
            var bytes: [UInt8] = []
            try batch.writeJSON(row: row, to: &bytes)
            guard case .object(let object) = try JSONParser.parseDocument(bytes, maxDepth: JSONParser.storedMaxDepth) else {
                Issue.record("not an object")
                return false
            }
            let members = flattened(object)
            let ticks = batch.times[row]
            let category = batch.string(FieldSchema.category, row: row)
            let resourceId = batch.string(FieldSchema.resourceId, row: row)
            let date = String(Timestamp(ticks: ticks).iso8601.prefix(10))
            let folderCategory = category.map { c in
                if let spelling = spellings[c.lowercased()] { return spelling }
                spellings[c.lowercased()] = c
                return c
            }
            var values: [Any?] = []
            for column in expectedColumns {
                // resourceId holds the effective value: the record's, else its blob path's.
                values.append(column.name == "resourceId" ? resourceId : expectedValue(members, column.name, integer: column.integer))
            }
            rows.append(Expected(partition: "category=\(folderCategory ?? "__HIVE_DEFAULT_PARTITION__")/date=\(date)", category: category,
                                 folderCategory: folderCategory, date: date, ticks: ticks, resourceId: resourceId, members: flattened(object, keepingEscaped: true), values: values))
            return true
        }
        return rows
    }

    // MARK: Export

    /// testdata's record count, from the generator's summary.
    static var testdataRecordCount: Int {
        let summary = try! foundationJSON(try! Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/testdata/expected/summary.json"))) as! NSDictionary
        return summary["records"] as! Int
    }

    static func exportTestdata(into folder: TemporaryFolder) throws -> (archive: String, output: String) {
        var archiveOptions = ArchiveWriter.Options()
        archiveOptions.segmentRecords = 100
        archiveOptions.blockRows = 16
        let archive = try ArchiveRoundTripTests.convert([testdataExport], into: folder, options: archiveOptions)
        var options = ParquetExporter.Options()
        // Small row groups, pages and files, so that each is exercised more than once.
        options.parquet.rowGroupRows = 40
        options.parquet.pageRows = 16
        options.maxRowsPerFile = 100
        let output = folder.path + "/parquet"
        let summary = try ParquetExporter.export(ArchiveReader(path: archive), to: output, options: options)
        #expect(summary.records == Self.testdataRecordCount)
        #expect(!FileManager.default.fileExists(atPath: output + "/.tmp-export-\(getpid())"))
        return (archive, output)
    }

    static let pyarrowScript = #"""
    import sys, os, glob, json
    import pyarrow.parquet as pq
    root = sys.argv[1]
    files = {}
    for path in sorted(glob.glob(os.path.join(root, "**", "*.parquet"), recursive=True)):
        f = pq.ParquetFile(path)
        t = f.read()
        md = f.metadata
        cols = {}
        for name in t.column_names:
            c = t.column(name)
            cols[name] = (c.cast("int64") if name == "time" else c).to_pylist()
        s = f.schema
        groups = []
        for g in range(md.num_row_groups):
            rg = md.row_group(g)
            entry = {"rows": rg.num_rows, "columns": {}}
            for i in range(rg.num_columns):
                cc = rg.column(i)
                st = cc.statistics
                mn = st.min_raw if st is not None and st.has_min_max else None
                mx = st.max_raw if st is not None and st.has_min_max else None
                if isinstance(mn, bytes): mn, mx = mn.decode(), mx.decode()
                entry["columns"][cc.path_in_schema] = {"codec": cc.compression, "encodings": list(cc.encodings),
                    "null_count": st.null_count if st is not None else None, "min": mn, "max": mx}
            groups.append(entry)
        files[os.path.relpath(path, root)] = {
            "rows": md.num_rows, "columns": cols, "names": t.column_names,
            "arrow_types": [str(fld.type) for fld in t.schema],
            "parquet_types": [[s.column(i).physical_type, str(s.column(i).logical_type)] for i in range(len(s))],
            "row_groups": groups}
    print(json.dumps({"files": files}))
    """#

    static let duckdbScript = #"""
    import sys, os, re, json
    import duckdb
    root, names, day = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
    pattern = os.path.join(root, "**", "*.parquet")
    con = duckdb.connect()
    source = f"read_parquet('{pattern}', hive_partitioning=true, filename=true, file_row_number=true)"
    select = ", ".join(["epoch_ns(time)"] + ['"%s"' % n for n in names[1:]])
    rows = con.execute(f"SELECT filename, category, CAST(date AS VARCHAR), {select} FROM {source} ORDER BY filename, file_row_number").fetchall()
    rows = [[os.path.relpath(r[0], root)] + list(r[1:]) for r in rows]
    types = con.execute(f"SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('{pattern}', hive_partitioning=true))").fetchall()
    query = f"SELECT count(*) FROM read_parquet('{pattern}', hive_partitioning=true) WHERE date = DATE '{day}'"
    count = con.execute(query).fetchone()[0]
    plan = "\n".join(str(r[1]) for r in con.execute("EXPLAIN ANALYZE " + query).fetchall())
    read = re.search(r"Total Files Read: *(\d+)", plan)
    scanning = re.search(r"Scanning Files: *(\d+) */ *(\d+)", plan)
    print(json.dumps({"rows": rows, "types": [list(t) for t in types], "count": count,
                      "files_read": int(read.group(1)) if read else None,
                      "scanning": [int(scanning.group(1)), int(scanning.group(2))] if scanning else None, "plan": plan}))
    """#

    /// Compares one exported row (time in ns, then the columns in file order, then extra) with the expectation.
    static func check(_ values: [Any], _ expected: Expected, where place: String) {
        #expect((values[0] as? NSNumber)?.int64Value == expected.ticks * 100, "\(place): time")
        for (i, column) in expectedColumns.enumerated() {
            let got = values[i + 1]
            let want = expected.values[i]
            let same: Bool
            switch want {
            case let v as Int64: same = (got as? NSNumber)?.int64Value == v && !(got is String)
            case let s as String: same = got as? String == s
            default: same = got is NSNull
            }
            if !same { Issue.record("\(place): \(column.name) is \(got), expected \(String(describing: want))") }
        }
        checkExtra(values.last!, values: values, expected, where: place)
    }

    /// Every member of the record is either held by a typed column (same name, same type and value),
    /// the time, the effective category or resource ID, or in `extra`; and `extra` holds nothing else.
    static func checkExtra(_ extra: Any, values: [Any], _ expected: Expected, where place: String) {
        var remaining: [JSONMember] = []
        if let text = extra as? String {
            guard case .object(let object)? = try? JSONParser.parseDocument(Array(text.utf8), maxDepth: JSONParser.storedMaxDepth) else {
                Issue.record("\(place): extra is not a JSON object: \(text)")
                return
            }
            remaining = object.members
            #expect(!remaining.isEmpty, "\(place): extra is an empty object rather than null")
        } else {
            #expect(extra is NSNull)
        }
        var timeSeen = false
        for m in expected.members {
            if let i = remaining.firstIndex(of: m) {
                remaining.remove(at: i)
                continue
            }
            let key = m.key.lowercased()
            if !timeSeen, ["time", "timegenerated", "timestamp"].contains(key), case .string(let text) = m.value,
               Timestamp(recordTime: text)?.ticks == expected.ticks {
                timeSeen = true
                continue
            }
            if key == "category", case .string(let s) = m.value, s == expected.category { continue }
            if key == "resourceid" || key == "_resourceid", case .string(let s) = m.value, s == expected.resourceId { continue }
            if let i = expectedColumns.firstIndex(where: { $0.name.lowercased() == key }) {
                let got = values[i + 1]
                switch m.value {
                case .string(let s) where !expectedColumns[i].integer && got as? String == s: continue
                case .number(let t) where expectedColumns[i].integer && isCanonicalInteger(t) && (got as? NSNumber)?.int64Value == Int64(t): continue
                default: break
                }
            }
            Issue.record("\(place): member \(m.key) is neither in a typed column nor in extra")
        }
        #expect(remaining.isEmpty, "\(place): extra holds members the record does not: \(remaining.map(\.key))")
    }

    /// The rows of each partition folder in scan order.
    static func byPartition(_ rows: [Expected]) -> [String: [Expected]] {
        Dictionary(grouping: rows, by: \.partition)
    }

    /// `category=…/date=…/part-N.parquet` sorted by folder, then by N as a number.
    static func partOrder(_ a: String, _ b: String) -> Bool {
        func split(_ p: String) -> (String, Int) {
            let folder = (p as NSString).deletingLastPathComponent
            let n = Int((p as NSString).lastPathComponent.dropFirst("part-".count).dropLast(".parquet".count)) ?? -1
            return (folder, n)
        }
        let (fa, na) = split(a), (fb, nb) = split(b)
        return fa != fb ? fa < fb : na < nb
    }

    @Test func pyarrowReadsEveryColumnOfEveryRowAsScanReturnsIt() throws {
        let folder = TemporaryFolder()
        let (archive, output) = try Self.exportTestdata(into: folder)
        let expected = try Self.expectedRows(archive)
        #expect(expected.count == Self.testdataRecordCount)
        let result = try Python.json(Self.pyarrowScript, [output]) as! [String: Any]
        let files = result["files"] as! [String: [String: Any]]

        // Every row in the folder of its category and day; files of a folder in part order, rows in scan order.
        let groups = Self.byPartition(expected)
        #expect(Set(files.keys.map { ($0 as NSString).deletingLastPathComponent }) == Set(groups.keys))
        #expect(files.values.reduce(0) { $0 + ($1["rows"] as! Int) } == Self.testdataRecordCount)
        for (partition, rows) in groups {
            let paths = files.keys.filter { ($0 as NSString).deletingLastPathComponent == partition }.sorted(by: Self.partOrder)
            // At most 100 rows a file: part-0, part-1, ... (SMSOperational and smsoperational in testdata share
            // one folder).
            #expect(paths.count == (rows.count + 99) / 100, "\(partition): \(paths)")
            let caseVariants = groups.keys.filter { $0.lowercased() == partition.lowercased() }.count
            if caseVariants == 1 {
                #expect(paths.map { ($0 as NSString).lastPathComponent } == (0..<paths.count).map { "part-\($0).parquet" })
            }
            var next = 0
            for path in paths {
                let file = files[path]!
                #expect(file["names"] as? [String] == Self.allNames, "\(path)")
                #expect(file["arrow_types"] as? [String] == ["timestamp[ns, tz=UTC]"] + Self.expectedColumns.map { $0.integer ? "int64" : "string" } + ["string"])
                let parquetTypes = file["parquet_types"] as! [[String]]
                #expect(parquetTypes[0][0] == "INT64" && parquetTypes[0][1].hasPrefix("Timestamp(isAdjustedToUTC=true, timeUnit=nanoseconds"), "\(parquetTypes[0])")
                for (i, column) in Self.expectedColumns.enumerated() {
                    #expect(parquetTypes[i + 1] == (column.integer ? ["INT64", "Int(bitWidth=64, isSigned=true)"] : ["BYTE_ARRAY", "String"]), "\(column.name)")
                }
                let columns = file["columns"] as! [String: [Any]]
                let count = file["rows"] as! Int
                #expect(count <= 100)
                for r in 0..<count where next + r < rows.count {
                    let values = Self.allNames.map { columns[$0]![r] }
                    Self.check(values, rows[next + r], where: "\(path) row \(r)")
                }
                // Row groups of at most 40 rows, zstd, PhoneNumber dictionary-encoded, statistics on time and PhoneNumber.
                var start = next
                for group in file["row_groups"] as! [[String: Any]] {
                    let n = group["rows"] as! Int
                    #expect(n <= 40)
                    let slice = rows[start..<min(rows.count, start + n)]
                    let stats = group["columns"] as! [String: [String: Any]]
                    #expect(stats.values.allSatisfy { $0["codec"] as? String == "ZSTD" })
                    let time = stats["time"]!
                    #expect((time["min"] as? NSNumber)?.int64Value == slice.map(\.ticks).min()! * 100)
                    #expect((time["max"] as? NSNumber)?.int64Value == slice.map(\.ticks).max()! * 100)
                    #expect(time["null_count"] as? Int == 0)
                    let phoneIndex = Self.expectedColumns.firstIndex { $0.name == "PhoneNumber" }!
                    let phones = slice.compactMap { $0.values[phoneIndex] as? String }
                    let phone = stats["PhoneNumber"]!
                    #expect(phone["null_count"] as? Int == slice.count - phones.count)
                    #expect((phone["encodings"] as? [String])?.contains("RLE_DICTIONARY") == true)
                    if !phones.isEmpty {
                        #expect(phone["min"] as? String == phones.min { $0.utf8.lexicographicallyPrecedes($1.utf8) })
                        #expect(phone["max"] as? String == phones.max { $0.utf8.lexicographicallyPrecedes($1.utf8) })
                    }
                    start += n
                }
                #expect(start == next + count)
                next += count
            }
            #expect(next == rows.count, "\(partition)")
        }
    }

    @Test func duckdbReadsTheFolderWithHivePartitionsAndPrunesByDate() throws {
        let folder = TemporaryFolder()
        let (archive, output) = try Self.exportTestdata(into: folder)
        let expected = try Self.expectedRows(archive)
        // The least frequent day, so that pruning has files to skip.
        let days = Dictionary(grouping: expected, by: \.date)
        let day = days.min { $0.value.count < $1.value.count }!.key
        let names = try JSONSerialization.data(withJSONObject: Self.allNames)
        let result = try Python.json(Self.duckdbScript, [output, String(decoding: names, as: UTF8.self), day]) as! [String: Any]

        let rows = result["rows"] as! [[Any]]
        #expect(rows.count == Self.testdataRecordCount)
        // Ordered by file name and row: the rows of each partition in scan order (part-N has at most 100 rows, N < 10).
        let groups = Self.byPartition(expected)
        var seen: [String: Int] = [:]
        for row in rows {
            let path = row[0] as! String
            let partition = (path as NSString).deletingLastPathComponent
            let i = seen[partition, default: 0]
            seen[partition] = i + 1
            guard let want = groups[partition], i < want.count else {
                Issue.record("\(path): unexpected row")
                continue
            }
            #expect(row[1] as? String == want[i].folderCategory, "\(path): category")
            #expect(row[2] as? String == want[i].date, "\(path): date")
            Self.check(Array(row[3...]), want[i], where: "duckdb \(path) row \(i)")
        }
        #expect(seen.mapValues { $0 } == groups.mapValues(\.count))

        let types = Dictionary(uniqueKeysWithValues: (result["types"] as! [[String]]).map { ($0[0], $0[1]) })
        #expect(["TIMESTAMPTZ_NS", "TIMESTAMP WITH TIME ZONE"].contains(types["time"]))
        for column in Self.expectedColumns { #expect(types[column.name] == (column.integer ? "BIGINT" : "VARCHAR"), "\(column.name)") }
        #expect(types["extra"] == "VARCHAR")
        #expect(types["category"] == "VARCHAR")
        #expect(types["date"] == "DATE")
        #expect(types.count == Self.allNames.count + 2)

        // Partition pruning: a query on one day reads only that day's files.
        #expect(result["count"] as? Int == days[day]!.count)
        let dayFiles = Set(rows.map { $0[0] as! String }.filter { $0.contains("/date=\(day)/") })
        let allFiles = Set(rows.map { $0[0] as! String })
        #expect(dayFiles.count < allFiles.count)
        let read = result["files_read"] as? Int
        let scanning = result["scanning"] as? [Int]
        #expect(read != nil || scanning != nil, "no file count in the plan: \(result["plan"] ?? "")")
        if let read { #expect(read == dayFiles.count, "\(result["plan"] ?? "")") }
        if let scanning { #expect(scanning == [dayFiles.count, allFiles.count], "\(result["plan"] ?? "")") }
    }

    @Test func microsecondTimesAreTruncatedTicks() throws {
        let folder = TemporaryFolder()
        let archive = try ArchiveRoundTripTests.convert([testdataExport], into: folder)
        var options = ParquetExporter.Options()
        options.timeUnit = .micros
        let output = folder.path + "/parquet"
        _ = try ParquetExporter.export(ArchiveReader(path: archive), to: output, options: options)
        let script = #"""
        import sys, json, pyarrow.dataset as ds
        t = ds.dataset(sys.argv[1], format="parquet", partitioning="hive").to_table()
        print(json.dumps({"type": str(t.schema.field("time").type), "times": sorted(t.column("time").cast("int64").to_pylist())}))
        """#
        let result = try Python.json(script, [output]) as! [String: Any]
        #expect(result["type"] as? String == "timestamp[us, tz=UTC]")
        // Ticks are 100 ns: ten to a microsecond, rounded down (also before 1970).
        let expected = try Self.expectedRows(archive).map { row -> Int64 in
            row.ticks >= 0 ? row.ticks / 10 : -((-row.ticks + 9) / 10)
        }.sorted()
        #expect((result["times"] as! [NSNumber]).map(\.int64Value) == expected)
    }

    /// A time past 2262 does not fit nanoseconds: the export fails and leaves nothing, not even the folder it made.
    @Test func aFailingExportLeavesNoFiles() throws {
        let folder = TemporaryFolder()
        let blob = folder.write("PT1H.json", storageLine(time: "2026-10-01T00:00:01Z") + "\n"
                                + storageLine(time: "2026-10-02T00:00:01Z") + "\n" + storageLine(time: "2300-01-01T00:00:00Z") + "\n")
        let archive = try ArchiveRoundTripTests.convert([blob], into: folder)
        let output = folder.path + "/parquet"
        #expect(throws: ExportError.self) { try ParquetExporter.export(ArchiveReader(path: archive), to: output) }
        #expect(!FileManager.default.fileExists(atPath: output))
        // An existing empty folder stays, empty.
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: false)
        #expect(throws: ExportError.self) { try ParquetExporter.export(ArchiveReader(path: archive), to: output) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: output).isEmpty)
        // Microseconds reach year 294247: the same records export.
        var options = ParquetExporter.Options()
        options.timeUnit = .micros
        let summary = try ParquetExporter.export(ArchiveReader(path: archive), to: output, options: options)
        #expect(summary.records == 3)
        #expect(summary.files == ["category=SMSOperational/date=2026-10-01/part-0.parquet",
                                  "category=SMSOperational/date=2026-10-02/part-0.parquet",
                                  "category=SMSOperational/date=2300-01-01/part-0.parquet"])
    }

    @Test func partitionValuesAreEscapedAsHiveDoes() {
        #expect(HivePartition.escape("SMSOperational") == "SMSOperational")
        #expect(HivePartition.escape(nil) == "__HIVE_DEFAULT_PARTITION__")
        #expect(HivePartition.escape("") == "__HIVE_DEFAULT_PARTITION__")
        #expect(HivePartition.escape("a/b=c%d") == "a%2Fb%3Dc%25d")
        #expect(HivePartition.escape("x:y\u{1}é") == "x%3Ay%01é")
        // 2026-10-01T23:59:59.9999999Z and the next tick fall on two days.
        let last = Timestamp(iso8601: "2026-10-01T23:59:59.9999999Z")!.ticks
        #expect(HivePartition(category: "Usage", ticks: last).path == "category=Usage/date=2026-10-01")
        #expect(HivePartition(category: "Usage", ticks: last + 1).path == "category=Usage/date=2026-10-02")
    }

    @Test func typeDriftedValuesAreConvertedOnlyWhenUnambiguous() {
        #expect(ResidualConversion.integer(.number("1.0")) == 1)
        #expect(ResidualConversion.integer(.number("1e3")) == 1000)
        #expect(ResidualConversion.integer(.number("1.50e1")) == 15)
        #expect(ResidualConversion.integer(.number("-0")) == 0)
        #expect(ResidualConversion.integer(.string("78")) == 78)
        #expect(ResidualConversion.integer(.number("9223372036854775807")) == Int64.max)
        #expect(ResidualConversion.integer(.number("-9223372036854775808")) == Int64.min)
        #expect(ResidualConversion.integer(.number("9223372036854775808")) == nil)
        #expect(ResidualConversion.integer(.number("0.1")) == nil)
        #expect(ResidualConversion.integer(.number("1e-2")) == nil)
        #expect(ResidualConversion.integer(.string("78 ")) == nil)
        #expect(ResidualConversion.integer(.string("")) == nil)
        #expect(ResidualConversion.integer(.bool(true)) == nil)
        #expect(ResidualConversion.string(.number("14255550123")) == "14255550123")
        #expect(ResidualConversion.string(.bool(false)) == "false")
        #expect(ResidualConversion.string(.null) == nil)
        #expect(ResidualConversion.string(.object(JSONObject())) == nil)
    }
}
