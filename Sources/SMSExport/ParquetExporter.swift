import SMSArchive
import SMSRecords
import SMSSupport
import ParquetWriter

/// Exports the records of an archive as Parquet files partitioned Hive-style,
/// `category=<category>/date=<YYYY-MM-DD>/part-<N>.parquet` (see `HivePartition`,
/// `ParquetExportSchema`).
///
/// The archive is scanned in time order, so the files of a day are complete once a
/// later day begins: at most one file per category is open, each holding at most one
/// row group in memory.
package enum ParquetExporter {
    /// Sizes of the files written.
    package struct Options: Sendable {
        /// Row group, page, dictionary and compression settings of each file.
        package var parquet = ParquetFileWriter.Options()
        /// A partition with more records is split into part-0, part-1, ...
        package var maxRowsPerFile = 1 << 20
        /// Replace the partitions of an earlier export that the query covers (those of its time range
        /// and categories; every `category=` folder when it has neither) instead of refusing a non-empty folder.
        package var replace = false
        /// Asked after each record; when it answers true, the export stops, removes what it
        /// wrote and throws `ExportError.interrupted` (the CLI sets it on SIGINT and SIGTERM).
        package var isCancelled: @Sendable () -> Bool = { false }
        /// The unit of `time`: `.nanos` keeps the archive's 100 ns; `.micros` (truncated) suits Spark.
        package var timeUnit: TimeUnit = .nanos
        /// Added to each file's name before `.parquet` (a Delta table's files are named per version,
        /// since the files of earlier versions stay).
        package var fileSuffix = ""

        /// The defaults: zstd level 9 (as `convert`: it costs the export little time), 128 Ki-row row groups.
        package init() {
            parquet.createdBy = "smsarchive export (ParquetWriter)"
            parquet.compression = .zstd(level: 9)
        }
    }

    /// What an export wrote.
    package struct Summary: Sendable {
        /// Records written.
        package var records = 0
        /// The files written, relative to the output folder, in the order they were finished.
        package var files: [String] = []
        /// Their total size.
        package var bytes = 0
        /// The files written, with their partition and rows, in the order they were finished.
        package var written: [WrittenFile] = []
    }

    /// A file an export wrote.
    package struct WrittenFile: Sendable {
        /// Its path relative to the output folder.
        package var relative: String
        package var partition: HivePartition
        package var rows: Int
        package var bytes: Int
    }

    /// A one-off export must not replace partitions of a lake that `LakeExporter` keeps: its state
    /// file or Delta log would still describe the old files, and the next incremental run would
    /// skip days whose partitions a filtered export had cut down.
    private static func refuseLake(_ folder: String) throws {
        guard FileIO.isDirectory(folder) else { return }
        if FileIO.exists(folder + "/" + LakeState.fileName) {
            throw LakeError.incompatible(folder, "is kept by export --incremental (it has \(LakeState.fileName)); a one-off export would replace its partitions behind its state: export into it with --incremental, or into another folder")
        }
        if FileIO.exists(folder + "/" + DeltaLog.folder) {
            throw LakeError.incompatible(folder, "is a Delta table (it has \(DeltaLog.folder)); a one-off Parquet export would replace files its log names: export into it with --format delta, or into another folder")
        }
    }

    /// Writes the records of `reader` that match `query` under `folder`; nothing is
    /// moved into `folder` unless every file was written.
    package static func export(_ reader: ArchiveReader, query: ScanQuery = ScanQuery(), to folder: String,
                              options: Options = Options()) throws -> Summary {
        var query = query
        query.columns = nil   // every column: the residual members feed `extra` and type-drifted fields
        let scope = ExportScope(from: query.from, to: query.to, categories: query.predicates[FieldSchema.category])
        try refuseLake(folder)
        let output = try ExportFolder(root: folder, replace: options.replace, scope: scope)
        do {
            let summary = try write(reader, queries: [query], into: output, options: options)
            try output.publish()
            return summary
        } catch {
            output.abandon()
            throw error
        }
    }

    /// Writes the records of `reader` that match any of `queries` (disjoint time ranges, in
    /// time order) and fall on one of `days` (nil: any) into the staging folder of `output`,
    /// which the caller publishes or abandons.
    static func write(_ reader: ArchiveReader, queries: [ScanQuery], days: Set<String>? = nil,
                      into output: ExportFolder, options: Options) throws -> Summary {
        let run = ExportRun(output: output, options: options, days: days)
        for var query in queries {
            query.columns = nil   // every column: the residual members feed `extra` and type-drifted fields
            try reader.scan(query) { batch, row in
                if options.isCancelled() { throw ExportError.interrupted(output.root) }
                try run.add(batch, row: row)
                return true
            }
            try run.closeAll()
        }
        return run.summary
    }
}

/// The state of one export: its open files.
private final class ExportRun {
    struct OpenFile {
        var writer: ParquetFileWriter
        var relative: String
    }

    let output: ExportFolder
    let options: ParquetExporter.Options
    var summary = ParquetExporter.Summary()
    private var open: [HivePartition: OpenFile] = [:]
    private var nextPart: [String: Int] = [:]
    private var currentDate = ""
    private var fallback: [Int: JSONValue] = [:]
    private var spellings: CategorySpellings
    /// The days written (nil: all); records of other days are skipped.
    private let days: Set<String>?

    private let schema: ParquetSchema

    init(output: ExportFolder, options: ParquetExporter.Options, days: Set<String>?) {
        self.output = output
        self.options = options
        self.days = days
        spellings = CategorySpellings(existing: output.existingCategories)
        schema = ParquetExportSchema.schema(timeUnit: options.timeUnit)
    }

    func add(_ batch: RecordBatch, row: Int) throws {
        let ticks = batch.times[row]
        let time: Int64
        switch options.timeUnit {
        case .nanos:
            let (nanoseconds, overflow) = ticks.multipliedReportingOverflow(by: 100)
            if overflow { throw ExportError.timeOutOfRange(Timestamp(ticks: ticks).iso8601) }
            time = nanoseconds
        case .micros:
            time = ticks.quotientAndRemainderFlooring(dividingBy: 10).0
        case .millis:
            time = ticks.quotientAndRemainderFlooring(dividingBy: 10_000).0
        }
        let partition = HivePartition(category: batch.string(FieldSchema.category, row: row).map { spellings.canonical($0) },
                                      ticks: ticks)
        if partition.date != currentDate {
            // Time order: no record of an earlier day follows, so its files are done.
            for key in open.keys where key.date != partition.date { try close(key) }
            currentDate = partition.date
        }
        if let days, !days.contains(partition.date) { return }
        let writer = try file(for: partition)

        writer.append(0, int64: time)
        let residual = try batch.residualMembers(row: row)
        fallback.removeAll(keepingCapacity: true)
        for member in residual {
            if let c = FieldSchema.column(named: member.key), fallback[c] == nil { fallback[c] = member.value }
        }
        for (i, c) in ParquetExportSchema.fieldColumns.enumerated() {
            if FieldSchema.columns[c].type == .integer {
                writer.append(i + 1, int64: batch.integer(c, row: row) ?? fallback[c].flatMap(ResidualConversion.integer))
            } else {
                writer.append(i + 1, string: batch.string(c, row: row) ?? fallback[c].flatMap(ResidualConversion.string))
            }
        }
        writer.append(ParquetExportSchema.extraPosition,
                      string: residual.isEmpty ? nil : String(decoding: JSONWriter.bytes(of: JSONObject(residual)), as: UTF8.self))
        try writer.endRow()
        summary.records += 1
        if writer.rows >= options.maxRowsPerFile { try close(partition) }
    }

    private func file(for partition: HivePartition) throws -> ParquetFileWriter {
        if let file = open[partition] { return file.writer }
        // Numbered per folder ignoring case: categories that differ only in case share a
        // folder on case-insensitive file systems, and must not overwrite each other's files.
        let folderKey = partition.path.lowercased()
        let part = nextPart[folderKey, default: 0]
        nextPart[folderKey] = part + 1
        let relative = partition.path + "/part-\(part)\(options.fileSuffix).parquet"
        var parquet = options.parquet
        parquet.keyValueMetadata.append(.init("smsarchive.date", partition.date))
        if let category = partition.category { parquet.keyValueMetadata.append(.init("smsarchive.category", category)) }
        let writer = try ParquetFileWriter(path: try output.stagedPath(relative), schema: schema, options: parquet)
        open[partition] = OpenFile(writer: writer, relative: relative)
        return writer
    }

    private func close(_ partition: HivePartition) throws {
        guard let file = open.removeValue(forKey: partition) else { return }
        try file.writer.close()
        let bytes = FileIO.size(file.writer.path) ?? 0
        summary.files.append(file.relative)
        summary.bytes += bytes
        summary.written.append(.init(relative: file.relative, partition: partition, rows: file.writer.rows, bytes: bytes))
    }

    func closeAll() throws {
        for key in open.keys.sorted(by: { $0.path < $1.path }) { try close(key) }
    }
}

/// One spelling per category, so that records whose category differs only in letter case
/// share a partition: the documented spelling of the ACS SMS categories (SMSOperational,
/// Usage), matched ignoring case; for another category, the spelling of a `category=`
/// folder already in the output folder, else the first spelling the export meets. `stats` groups
/// categories by the same spellings.
package struct CategorySpellings {
    /// Lower-cased category → its spelling.
    private var byLowercase: [String: String] = [:]
    /// Spelling as met → its spelling (saves lower-casing every record's category).
    private var seen: [String: String] = [:]

    package init(existing: [String]) {
        for name in existing where byLowercase[Self.key(name)] == nil { byLowercase[Self.key(name)] = name }
        for name in WorkspaceTables.categories.values { byLowercase[Self.key(name)] = name }
    }

    /// `name` with ASCII letters in lower case: letter case is ignored as `scan --category` ignores it.
    static func key(_ name: String) -> String {
        String(decoding: name.utf8.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
    }

    package mutating func canonical(_ category: String) -> String {
        if let spelling = seen[category] { return spelling }
        let key = Self.key(category)
        let spelling = byLowercase[key] ?? category
        byLowercase[key] = spelling
        seen[category] = spelling
        return spelling
    }
}
