import SMSRecords
import ArgumentParser
import SMSArchive

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Print the records of an archive that match, in time order.",
        discussion: """
        Without --fields, --format jsonl prints each record in the shape it was read (storage or flat), equal as a \
        JSON value to the input line: same keys, strings, number text, nulls, and time text. With --fields, or in \
        csv and table formats, it prints the named columns (see FIELDS in smsarchive(1)).

        Predicates of the same option are alternatives (--phone A --phone B: either); different options must all \
        hold. Phone numbers and MessageIds compare exactly, the others ignore letter case. Only blocks whose \
        time range and filters may match are read.

        Examples:
          smsarchive scan sms.smsa --from 2026-10-01T13:00 --to 2026-10-01T14:00
          smsarchive scan sms.smsa --phone +18334256463 --since 24h
          smsarchive scan sms.smsa --from yesterday --result Failed --format table
          smsarchive scan sms.smsa --country US --operation SMSMessagesSent --count
          smsarchive scan sms.smsa --from yesterday --to today --distinct --count
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @OptionGroup var filter: RecordFilterOptions

    @Option(help: ArgumentHelp("Print only these columns, comma-separated (e.g. time,PhoneNumber,Country).", valueName: "a,b,..."))
    var fields: String?

    @Option(help: ArgumentHelp("Output format: jsonl, csv or table.", valueName: "format"))
    var format: OutputFormat = .jsonl

    @Flag(help: "Print only the number of matching records.")
    var count = false

    @Flag(help: "Leave out records that repeat an earlier one exactly (delivery retries); the archive keeps them all.")
    var distinct = false

    @Option(parsing: .unconditional, help: ArgumentHelp("Stop after this many records.", valueName: "n"))
    var limit: Int?

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output (replaced if it exists; written under a temporary name, then renamed).", valueName: "file"))
    var output: String?

    func validate() throws {
        if let output, OutputFile.isInside(output, archive: archive) { throw OutputFile.insideArchiveError(output, archive: archive) }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more, not \(limit)") }
        _ = try projectedFields()
    }

    /// The columns to print: those of --fields, or each format's default.
    func projectedFields() throws -> [OutputField]? {
        try OutputField.parse(fields, format: format)
    }

    func run() throws {
        // Interrupted, a scan into a file (-o) removes its temporary file.
        if output != nil { try Interruption.catching { try scan() } } else { try scan() }
    }

    private func scan() throws {
        try failingLoudly {
            let reader = try ArchiveReader(path: archive)
            let file = try OutputFile(path: output, replacing: true)
            do {
                try scan(reader, to: file.out)
                try file.commit()
            } catch {
                file.abandon()
                throw error
            }
        }
    }

    private func scan(_ reader: ArchiveReader, to out: StandardOutput) throws {
        var query = filter.query()
        let fields = try projectedFields()
        if count && !distinct {
            let matched = try reader.count(query)
            out.write("\(limit.map { min($0, matched) } ?? matched)\n")
            return
        }
        // The residual too: a field's value may be of a type its column does not hold.
        // --distinct compares whole records, so it needs every column.
        if let fields, !distinct {
            query.columns = Set(fields.compactMap(\.column).map(Column.init(position:)))
            query.alsoDecoded = [FieldSchema.residual]
        }
        if limit == 0 { return }
        // A table on a terminal fits its width; written to a file or a pipe, it is whole.
        let printer = count ? nil : RecordPrinter(format: format, fields: fields, out: out,
                                                  tableWidth: output == nil ? RecordPrinter.terminalWidth() : nil)
        var printed = 0
        // Whole records as JSON Lines, the common full export, are written on every core.
        if !count, !distinct, fields == nil, format == .jsonl {
            var lines = ParallelJSONLines { out.write($0) }
            try reader.scan(query) { batch, row in
                try Interruption.check(output: output)
                try lines.add(batch, row: row)
                printed += 1
                return limit.map { printed < $0 } ?? true
            }
            try lines.finish()
            return
        }
        var duplicates = DuplicateFilter()
        var json: [UInt8] = []
        try reader.scan(query) { batch, row in
            try Interruption.check(output: output)
            if distinct {
                json.removeAll(keepingCapacity: true)
                try batch.writeJSON(row: row, to: &json)
                if duplicates.isRepeat(time: batch.times[row], json: json) { return true }
            }
            try printer?.print(batch, row: row)
            printed += 1
            return limit.map { printed < $0 } ?? true
        }
        if count { out.write("\(printed)\n") }
        printer?.finish()
    }
}

extension String {
    var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
