import ArgumentParser
import SMSArchive

struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Print an archive's records in time order.",
        discussion: """
        Each record is printed as one JSON object per line, in the shape it was read (storage or flat), equal as a \
        JSON value to the input line: same keys, strings, number text, nulls, and time text.

        Example:
          smsarchive scan sms.smsa --from 2026-10-01T00:00 --to 2026-10-01T01:00
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @Option(help: ArgumentHelp("Output format: jsonl.", valueName: "format"))
    var format: OutputFormat = .jsonl

    @Option(help: ArgumentHelp("Only records at or after this time (ISO 8601; a date alone means its midnight UTC).", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only records before this time.", valueName: "time"))
    var to: String?

    @Option(help: ArgumentHelp("Stop after this many records.", valueName: "n"))
    var limit: Int?

    @Flag(help: "Print only the number of matching records.")
    var count = false

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case jsonl
    }

    func validate() throws {
        if let from, Timestamp(queryBound: from) == nil { throw ValidationError("--from '\(from)' is not an ISO 8601 time") }
        if let to, Timestamp(queryBound: to) == nil { throw ValidationError("--to '\(to)' is not an ISO 8601 time") }
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() throws {
        try failingLoudly {
            let reader = try ArchiveReader(path: archive)
            let out = StandardOutput()
            var matched = 0
            let fromTime = from.flatMap(Timestamp.init(queryBound:))
            let toTime = to.flatMap(Timestamp.init(queryBound:))
            if limit == 0 { return }
            try reader.scan(from: fromTime, to: toTime) { row in
                matched += 1
                if !count {
                    out.write(row.document)
                    out.write([0x0A])
                }
                return limit.map { matched < $0 } ?? true
            }
            if count { out.write("\(matched)\n") }
            out.flush()
        }
    }
}
