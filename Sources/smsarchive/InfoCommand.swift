import SMSRecords
import ArgumentParser
import SMSArchive

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print what an archive holds: records, exact duplicates, time span, segments, bytes, ratio to the source, bytes per column, rejects, top senders and countries.",
        discussion: """
        Example:
          smsarchive info sms.smsa
          smsarchive info sms.smsa --json | jq .records
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(parsing: .unconditional, help: ArgumentHelp("How many top phone numbers and countries to list.", valueName: "n"))
    var top: Int = ArchiveStatistics.defaultTopCount

    func validate() throws {
        if top < 0 { throw ValidationError("--top must be 0 or more, not \(top)") }
    }

    func run() throws {
        try failingLoudly {
            let stats = try ArchiveStatistics(try ArchiveReader(path: archive), topCount: top)
            let out = StandardOutput()
            if json { out.write(JSONWriter.bytes(of: Self.json(stats)) + [0x0A]) } else { Self.text(stats, to: out) }
            out.flush()
        }
    }

    static func ratio(_ bytes: Int, _ stats: ArchiveStatistics) -> String {
        stats.bytesOnDisk > 0 ? String(format1: Double(bytes) / Double(stats.bytesOnDisk)) + "x" : "-"
    }

    static func text(_ stats: ArchiveStatistics, to out: StandardOutput) {
        out.write("records      \(stats.records)\n")
        out.write("duplicates   \(stats.duplicates) (exact copies of an earlier record; scan --distinct leaves them out)\n")
        out.write("rejects      \(stats.rejects)" + (stats.resolvedRejects > 0 ? " (\(stats.resolvedRejects) resolved since)" : "") + "\n")
        out.write("time span    \(stats.minTime?.iso8601 ?? "-") .. \(stats.maxTime?.iso8601 ?? "-")\n")
        out.write("segments     \(stats.segments) (\(stats.blocks) blocks, \(stats.layouts) record layouts)\n")
        out.write("bytes        \(stats.bytesOnDisk) (\(stats.records > 0 ? String(format1: Double(stats.bytesOnDisk) / Double(stats.records)) : "-") per record)\n")
        if stats.sourceBlobs > 0 {
            out.write("source       \(stats.sourceBlobs) blobs: \(stats.sourceJSONBytes) bytes of JSON (\(ratio(stats.sourceJSONBytes, stats)) the archive), "
                      + "\(stats.sourceBytes) bytes of files as read (\(ratio(stats.sourceBytes, stats)))\n")
        }
        out.write("index        \(stats.footerBytes) bytes of footers, row links and rejects, \(stats.filterBytes) of them Bloom filters, \(stats.linkBytes) row links\n")
        out.write("\ntop senders  " + stats.topPhoneNumbers.map { "\($0.value) \($0.records)" }.joined(separator: ", ") + "\n")
        out.write("top countries " + stats.topCountries.map { "\($0.value) \($0.records)" }.joined(separator: ", ") + "\n")
        out.write("\ncolumn                    stored bytes   raw bytes     values  encodings\n")
        for c in stats.columns.sorted(by: { $0.storedBytes > $1.storedBytes }) where c.values > 0 {
            let encodings = c.encodings.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            out.write(c.name.padded(24) + String(c.storedBytes).leftPadded(14) + String(c.rawBytes).leftPadded(12)
                      + String(c.values).leftPadded(11) + "  " + encodings + "\n")
        }
    }

    static func json(_ stats: ArchiveStatistics) -> JSONValue { stats.json }
}

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }

    func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? " " + self : String(repeating: " ", count: width - count) + self }
}
