import SMSRecords
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A Delta Lake table's transaction log, `_delta_log/<version, 20 digits>.json` (one JSON
/// action per line; see PROTOCOL.md of github.com/delta-io/delta): read to learn which data
/// files are live, and extended by one commit per export. Only JSON commits are read and
/// written, no checkpoints: an export commits once per run, so a nightly feed has a few
/// hundred small commits a year, which readers replay in well under a second.
struct DeltaLog {
    static let folder = "_delta_log"
    /// The reader and writer protocol versions written: no table features, the versions every
    /// Delta reader (Spark, Databricks, delta-rs, DuckDB, Trino) and writer supports.
    static let readerVersion = 1
    static let writerVersion = 2
    /// The add action tag that holds the fingerprint (see `DayFingerprints`) of the file's day when it was exported.
    static let fingerprintTag = "smsarchive.fingerprint"

    /// A data file the table holds at its latest version.
    struct LiveFile {
        /// As in its add action: relative to the table, URL-encoded.
        var path: String
        var category: String?
        var date: String
        var size: Int?
        var fingerprint: String?
    }

    /// The latest version; -1 for a table with no commit.
    var version = -1
    var schemaString: String?
    var partitionColumns: [String] = []
    /// By path.
    var live: [String: LiveFile] = [:]

    /// Reads every commit of the table at `root`.
    static func read(_ root: String) throws -> DeltaLog {
        let logFolder = root + "/" + folder
        var versions: [Int] = []
        for name in try FileIO.listDirectory(logFolder) {
            if name.utf8.count == 25, name.hasSuffix(".json"), name.utf8.prefix(20).allSatisfy({ (0x30...0x39).contains($0) }),
               let v = Int(name.prefix(20)) {
                versions.append(v)
            }
        }
        versions.sort()
        var log = DeltaLog()
        for (expected, v) in versions.enumerated() where v != expected {
            throw LakeError.deltaLog(logFolder, expected == 0
                ? "the log starts at version \(v) (its earlier commits were cleaned up after a checkpoint); this program reads JSON commits only"
                : "version \(expected) is missing from the log")
        }
        for v in versions {
            let path = logFolder + "/" + name(of: v)
            let bytes = try FileIO.readAll(path)
            for (n, line) in bytes.split(separator: UInt8(ascii: "\n")).enumerated() {
                let action: JSONObject
                do {
                    guard let object = try JSONParser.parseDocument(Array(line)).objectValue else { throw LakeError.deltaLog(path, "line \(n + 1) is not a JSON object") }
                    action = object
                } catch let error as JSONParseError {
                    throw LakeError.deltaLog(path, "line \(n + 1): not valid JSON (\(error.message))")
                }
                try log.apply(action, path: path, line: n + 1)
            }
            log.version = v
        }
        return log
    }

    private mutating func apply(_ action: JSONObject, path: String, line: Int) throws {
        func bad(_ what: String) -> LakeError { .deltaLog(path, "line \(line): \(what)") }
        if let p = action["protocol"]?.objectValue {
            guard case .number(let r)? = p["minReaderVersion"], case .number(let w)? = p["minWriterVersion"],
                  let reader = Int(r), let writer = Int(w) else { throw bad("protocol without versions") }
            guard reader <= Self.readerVersion, writer <= Self.writerVersion, p["readerFeatures"] == nil, p["writerFeatures"] == nil else {
                throw bad("the table needs Delta reader version \(reader) and writer version \(writer) (or table features); this program writes only tables of reader version \(Self.readerVersion), writer version \(Self.writerVersion)")
            }
        } else if let m = action["metaData"]?.objectValue {
            schemaString = m["schemaString"]?.stringValue
            guard case .array(let columns)? = m["partitionColumns"] else { throw bad("metaData without partitionColumns") }
            partitionColumns = columns.compactMap(\.stringValue)
        } else if let add = action["add"]?.objectValue {
            guard let file = add["path"]?.stringValue, let values = add["partitionValues"]?.objectValue else { throw bad("add without path or partitionValues") }
            guard let date = values["date"]?.stringValue else { throw bad("add of \(file) without a date partition value") }
            var size: Int?
            if case .number(let text)? = add["size"] { size = Int(text) }
            live[file] = LiveFile(path: file, category: values["category"]?.stringValue, date: date, size: size,
                                  fingerprint: add["tags"]?.objectValue?[Self.fingerprintTag]?.stringValue)
        } else if let remove = action["remove"]?.objectValue {
            guard let file = remove["path"]?.stringValue else { throw bad("remove without path") }
            live[file] = nil
        }
    }

    /// The file name of version `version`'s commit.
    static func name(of version: Int) -> String {
        let digits = String(version)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".json"
    }

    /// Writes the commit of `version` with `actions`, one per line, if no commit of that version
    /// exists: written to a temporary file and then linked to its name, which fails when the name
    /// exists, so two writers cannot both commit a version and readers never see half a commit.
    static func commit(_ actions: [JSONObject], version: Int, root: String) throws {
        let logFolder = root + "/" + folder
        try FileIO.makeDirectory(logFolder)
        var bytes: [UInt8] = []
        for action in actions {
            JSONWriter.write(.object(action), to: &bytes)
            bytes.append(UInt8(ascii: "\n"))
        }
        let temporary = logFolder + "/.tmp-commit-\(getpid())"
        unlink(temporary)
        let writer = try FileWriter(creating: temporary)
        do {
            try writer.write(bytes)
            try writer.finish()
        } catch {
            unlink(temporary)
            throw error
        }
        defer { unlink(temporary) }
        let final = logFolder + "/" + name(of: version)
        if link(temporary, final) != 0 {
            if errno == EEXIST { throw LakeError.concurrentCommit(root, version) }
            // File systems without hard links (FUSE mounts of blob storage): a rename after a check,
            // which only another writer at the same instant could race (two exports into one
            // folder are refused anyway, see `ExportFolder.removeDeadStaging`).
            guard [EPERM, ENOSYS, EOPNOTSUPP, ENOTSUP, EMLINK].contains(errno) else { throw FileError(final, "link from \(temporary)") }
            if FileIO.exists(final) { throw LakeError.concurrentCommit(root, version) }
            try FileIO.rename(temporary, to: final)
        }
        try FileIO.syncDirectory(logFolder)
    }
}

/// The actions of a commit, as PROTOCOL.md spells them.
enum DeltaAction {
    static func protocolAction() -> JSONObject {
        object(["protocol": .object(object(["minReaderVersion": number(DeltaLog.readerVersion), "minWriterVersion": number(DeltaLog.writerVersion)]))])
    }

    static func metaData(schemaString: String, createdTime: Int64) -> JSONObject {
        object(["metaData": .object(object([
            "id": .string(uuid()),
            "format": .object(object(["provider": .string("parquet"), "options": .object(JSONObject())])),
            "schemaString": .string(schemaString),
            "partitionColumns": .array(DeltaSchema.partitionColumns.map { .string($0) }),
            "configuration": .object(JSONObject()),
            "createdTime": number(createdTime),
        ]))])
    }

    static func add(_ file: ParquetExporter.WrittenFile, modificationTime: Int64, fingerprint: String?) -> JSONObject {
        var members: [(String, JSONValue)] = [
            ("path", .string(encodedPath(file.relative))),
            ("partitionValues", partitionValues(file.partition)),
            ("size", number(file.bytes)),
            ("modificationTime", number(modificationTime)),
            ("dataChange", .bool(true)),
            ("stats", .string("{\"numRecords\":\(file.rows)}")),
        ]
        if let fingerprint { members.append(("tags", .object(object([DeltaLog.fingerprintTag: .string(fingerprint)])))) }
        return object(["add": .object(object(members))])
    }

    /// A remove action; with `extendedFileMetadata` (the partition values, size and tags of the add it
    /// undoes) when the add gave its size, as this program's adds do.
    static func remove(_ file: DeltaLog.LiveFile, deletionTimestamp: Int64) -> JSONObject {
        var members: [(String, JSONValue)] = [
            ("path", .string(file.path)),
            ("deletionTimestamp", number(deletionTimestamp)),
            ("dataChange", .bool(true)),
        ]
        if let size = file.size {
            members += [
                ("extendedFileMetadata", .bool(true)),
                ("partitionValues", .object(object(["category": file.category.map { .string($0) } ?? .null, "date": .string(file.date)]))),
                ("size", number(size)),
            ]
            if let fingerprint = file.fingerprint {
                members.append(("tags", .object(object([DeltaLog.fingerprintTag: .string(fingerprint)]))))
            }
        }
        return object(["remove": .object(object(members))])
    }

    static func commitInfo(timestamp: Int64, operation: String, days: Int, added: Int, removed: Int) -> JSONObject {
        object(["commitInfo": .object(object([
            "timestamp": number(timestamp),
            "operation": .string(operation),
            "operationParameters": .object(object(["mode": .string("Overwrite"), "partitionBy": .string("[\"category\",\"date\"]")])),
            "engineInfo": .string("smsarchive export"),
            "isBlindAppend": .bool(removed == 0),
            "operationMetrics": .object(object(["numDays": .string(String(days)), "numAddedFiles": .string(String(added)),
                                                "numRemovedFiles": .string(String(removed))])),
        ]))])
    }

    /// The partition values of a file: the category as it is (null for the default partition) and the date.
    static func partitionValues(_ partition: HivePartition) -> JSONValue {
        .object(object(["category": partition.category.map { .string($0) } ?? .null, "date": .string(partition.date)]))
    }

    /// A path relative to the table as a URI path: every byte outside `A-Z a-z 0-9 - . _ ~ / =`
    /// as `%XX` (so the Hive escape `%3A` of a folder name becomes `%253A`).
    static func encodedPath(_ relative: String) -> String {
        let safe = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/=".utf8)
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in relative.utf8 {
            if safe.contains(b) { out.append(b) } else { out += [UInt8(ascii: "%"), hex[Int(b >> 4)], hex[Int(b & 0xF)]] }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Milliseconds since 1970, now.
    static func now() -> Int64 {
        var t = timespec()
        clock_gettime(CLOCK_REALTIME, &t)
        return Int64(t.tv_sec) * 1000 + Int64(t.tv_nsec) / 1_000_000
    }

    private static func uuid() -> String {
        var g = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &g) }
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let hex = bytes.map { String(repeating: "0", count: $0 < 16 ? 1 : 0) + String($0, radix: 16) }
        return hex[0..<4].joined() + "-" + hex[4..<6].joined() + "-" + hex[6..<8].joined() + "-" + hex[8..<10].joined() + "-" + hex[10...].joined()
    }

    private static func number<I: BinaryInteger>(_ n: I) -> JSONValue { .number(String(n)) }

    private static func object(_ members: KeyValuePairs<String, JSONValue>) -> JSONObject {
        JSONObject(members.map { JSONMember(key: $0.key, value: $0.value) })
    }

    private static func object(_ members: [(String, JSONValue)]) -> JSONObject {
        JSONObject(members.map { JSONMember(key: $0.0, value: $0.1) })
    }
}

/// The table's schema as Delta declares it (Spark's StructType JSON): the Parquet columns
/// (`time` a `timestamp`, microseconds UTC; integers `long`; strings `string`) and the
/// partition columns `category` (string) and `date` (date).
enum DeltaSchema {
    static let partitionColumns = ["category", "date"]

    static var schemaString: String {
        var fields: [(String, String, Bool)] = [("time", "timestamp", false)]
        for c in ParquetExportSchema.fieldColumns {
            let spec = FieldSchema.columns[c]
            fields.append((spec.name, spec.type == .integer ? "long" : "string", true))
        }
        fields += [(ParquetExportSchema.extraName, "string", true), ("category", "string", true), ("date", "date", true)]
        var out = Array("{\"type\":\"struct\",\"fields\":[".utf8)
        for (i, (name, type, nullable)) in fields.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += Array("{\"name\":".utf8)
            JSONWriter.write(.string(name), to: &out)
            out += Array(",\"type\":\"\(type)\",\"nullable\":\(nullable),\"metadata\":{}}".utf8)
        }
        out += Array("]}".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
