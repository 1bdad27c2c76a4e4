import SMSExport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ArgumentParser
import ParquetWriter
import SMSArchive

/// What `export` writes.
enum ExportFormat: String, ExpressibleByArgument, CaseIterable {
    case parquet
    case delta
    case jsonl
    case csv
}

/// The unit of the Parquet time column.
enum ExportTimeUnit: String, ExpressibleByArgument, CaseIterable {
    case nanos, micros, millis

    var unit: TimeUnit {
        switch self {
        case .nanos: return .nanos
        case .micros: return .micros
        case .millis: return .millis
        }
    }
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the records of an archive (or of a range) as Parquet files, a Delta Lake table, JSON Lines or CSV.",
        discussion: """
        --format parquet writes a folder partitioned Hive-style, a folder per category and UTC day (a new part-<N> file every 1,048,576 records): \
        OUT/category=<category>/date=<YYYY-MM-DD>/part-<N>.parquet (records without a category go to \
        category=__HIVE_DEFAULT_PARTITION__, which readers see as null; a category has one folder whatever its \
        letter case, SMSOperational and Usage spelled so). Each file has a column per known field \
        (time as TIMESTAMP in nanoseconds UTC unless --time-unit says otherwise, integers INT64, strings UTF8 with dictionary encoding) and `extra`, \
        the JSON object of the members no typed column holds as written; zstd compressed; statistics on every column. \
        category and date are read from the folder names (DuckDB: hive_partitioning=true). Files are written \
        under OUT/.tmp-export-<pid> (as <n>.partial, which no *.parquet glob matches) and moved into place when all \
        are complete; interrupted, the export removes them; killed, the next export into OUT does. OUT must be \
        empty unless --force, which replaces the partitions of an earlier export that this one covers: every \
        category= folder, or with --from/--to only the date= folders of the days the range touches (refresh whole \
        days), with --category only those categories; never a lake that --incremental or --format delta keeps.

        --format delta writes the same files (time in microseconds) as a Delta Lake table: OUT/_delta_log/ holds one \
        commit per export (Delta reader version 1, writer version 2). --incremental (parquet or delta) writes only the UTC \
        days whose records changed since the last export into OUT (new days, late records, compaction), replacing each \
        such day's partitions whole; with nothing new it writes nothing. Run it after each convert; see the man page.

        --format jsonl writes each record exactly as scan does; --format csv every column. They go to standard \
        output, or to the --output file (written under a temporary name, then renamed).

        The range and predicates are those of scan. Examples:
          smsarchive export sms.smsa --output sms-parquet
          smsarchive export sms.smsa --from 2026-10-01 --to 2026-10-02 -o day
          smsarchive export sms.smsa --category SMSOperational -o operational
          smsarchive export sms.smsa --format delta --incremental -o /mnt/lake/sms
          smsarchive export sms.smsa --format csv --country US > us.csv
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @OptionGroup var filter: RecordFilterOptions

    @Option(help: ArgumentHelp("Output format: parquet, delta (a Delta Lake table), jsonl or csv.", valueName: "format"))
    var format: ExportFormat = .parquet

    @Flag(help: "parquet, delta: write only the days whose records changed since the last export into the output folder (new days, late records, compaction); the state is kept in the folder.")
    var incremental = false

    @Option(name: [.short, .long], help: ArgumentHelp("parquet: the folder to write (created if missing). jsonl, csv: the file to write (default: standard output).", valueName: "path"))
    var output: String?

    @Flag(help: "Replace the partitions of an earlier export in the output folder that this export covers (with --from/--to, the days of the range; with --category, those categories), or an existing output file.")
    var force = false

    @Option(name: .customLong("row-group-rows"), parsing: .unconditional, help: ArgumentHelp("parquet: rows per row group.", valueName: "n"))
    var rowGroupRows = 128 * 1024

    @Option(name: .customLong("compression-level"), parsing: .unconditional, help: ArgumentHelp("parquet: zstd compression level (1-22).", valueName: "level"))
    var compressionLevel: Int32 = 9

    @Option(name: .customLong("time-unit"), help: ArgumentHelp("parquet: unit of the time column: nanos (exact; the default), micros or millis (truncated; for Spark, which reads no nanosecond timestamps). delta: micros, the unit of Delta timestamps.", valueName: "unit"))
    var timeUnit: ExportTimeUnit?

    @Option(help: ArgumentHelp("jsonl, csv: write only these columns, comma-separated (see scan).", valueName: "a,b,..."))
    var fields: String?

    @Option(parsing: .unconditional, help: ArgumentHelp("jsonl, csv: stop after this many records.", valueName: "n"))
    var limit: Int?

    @Flag(name: [.short, .long], help: "Print no summary on stderr.")
    var quiet = false

    /// Whether the output is a folder of Parquet files (with or without a Delta log).
    private var isTable: Bool { format == .parquet || format == .delta }

    func validate() throws {
        if isTable && output == nil { throw ValidationError("--format \(format.rawValue) needs --output <folder>") }
        if let output, OutputFile.isInside(output, archive: archive) { throw OutputFile.insideArchiveError(output, archive: archive) }
        if incremental {
            if !isTable { throw ValidationError("--incremental applies to --format parquet and delta") }
            if force { throw ValidationError("--incremental replaces the days that changed by itself; --force is for a one-off export") }
            if filter.isSet {
                throw ValidationError("--incremental exports every record of the archive: --from, --to, --since and the predicates do not apply")
            }
        }
        if format == .delta, let timeUnit, timeUnit != .micros {
            throw ValidationError("--format delta writes time in microseconds, the unit of Delta timestamps; --time-unit \(timeUnit.rawValue) does not apply")
        }
        if rowGroupRows < 1 { throw ValidationError("--row-group-rows must be at least 1, not \(rowGroupRows)") }
        if isTable && (fields != nil || limit != nil) {
            throw ValidationError("--fields and --limit apply to --format jsonl and csv; a Parquet export has every column and record")
        }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
        _ = try OutputField.parse(fields, format: format == .csv ? .csv : .jsonl)
        if !(1...22).contains(compressionLevel) { throw ValidationError("--compression-level must be 1 to 22, not \(compressionLevel)") }
    }

    func run() throws {
        // Interrupted (SIGINT, SIGTERM), the export removes what it wrote; killed outright, it
        // leaves only its staging folder, which holds no *.parquet file and the next export removes.
        try Interruption.catching { try export() }
    }

    private func export() throws {
        try failingLoudly {
            let reader = try ArchiveReader(path: archive)
            let started = ContinuousClock.now
            if isTable, let output {
                var options = ParquetExporter.Options()
                options.replace = force
                options.parquet.rowGroupRows = rowGroupRows
                options.parquet.compression = .zstd(level: compressionLevel)
                options.timeUnit = (timeUnit ?? (format == .delta ? .micros : .nanos)).unit
                options.isCancelled = Interruption.requested
                if incremental || format == .delta {
                    let summary = try LakeExporter.export(reader, to: output, format: format == .delta ? .delta : .parquet,
                                                          incremental: incremental, query: filter.query(), options: options)
                    if !quiet { StandardError.print(Self.describe(summary, output: output, started: started)) }
                    return
                }
                let summary = try ParquetExporter.export(reader, query: filter.query(), to: output, options: options)
                if !quiet {
                    StandardError.print("smsarchive: exported \(summary.records) records to \(summary.files.count) Parquet files "
                                        + "(\(summary.bytes) bytes) in \(output) in \(Self.seconds(since: started)) s")
                }
                return
            }
            try exportStream(reader, started: started)
        }
    }

    /// jsonl and csv: every matching record in time order (up to --limit), through `scan`'s printer.
    private func exportStream(_ reader: ArchiveReader, started: ContinuousClock.Instant) throws {
        let file = try OutputFile(path: output, replacing: force)
        do {
            let printFormat: OutputFormat = format == .csv ? .csv : .jsonl
            let fields = try OutputField.parse(self.fields, format: printFormat)
            var query = filter.query()
            if let fields {
                query.columns = Set(fields.compactMap(\.column).map(Column.init(position:)))
                query.alsoDecoded = [FieldSchema.residual]
            }
            let printer = RecordPrinter(format: printFormat, fields: fields, out: file.out)
            var records = 0
            if limit != 0 {
                try reader.scan(query) { batch, row in
                    try Interruption.check(output: output)
                    try printer.print(batch, row: row)
                    records += 1
                    return limit.map { records < $0 } ?? true
                }
            }
            printer.finish()
            try file.commit()
            if let output, !quiet {
                StandardError.print("smsarchive: exported \(records) records to \(output) in \(Self.seconds(since: started)) s")
            }
        } catch {
            file.abandon()
            throw error
        }
    }

    /// The summary line of a lake export.
    static func describe(_ summary: LakeExporter.Summary, output: String, started: ContinuousClock.Instant) -> String {
        let version = summary.version.map { ", Delta version \($0)" } ?? ""
        if summary.nothingNew {
            return "smsarchive: nothing new since the last export to \(output)\(version); nothing was written"
        }
        let days = summary.days.count == 1 ? "1 day" : "\(summary.days.count) days"
        let range = summary.days.isEmpty ? "" : " (\(summary.days.first!)\(summary.days.count > 1 ? " to " + summary.days.last! : ""))"
        return "smsarchive: exported \(summary.records) records of \(days)\(range) to \(summary.files) Parquet files "
            + "(\(summary.bytes) bytes) in \(output)\(version) in \(seconds(since: started)) s"
    }

    static func seconds(since start: ContinuousClock.Instant) -> String {
        let d = ContinuousClock.now - start
        let ms = d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000
        return "\(ms / 1000).\(String(ms % 1000 + 1000).dropFirst())"
    }
}

/// A failed system call on a path, with the system's reason.
struct SystemCallError: Error, CustomStringConvertible {
    var description: String

    init(_ path: String, _ operation: String, errno code: Int32 = errno) {
        description = code == 0 ? "\(path): \(operation)" : "\(path): \(operation): \(String(cString: strerror(code)))"
    }
}
