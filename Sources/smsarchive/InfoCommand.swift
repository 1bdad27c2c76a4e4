import ArgumentParser
import SMSArchive

struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Print what an archive holds: records, time span, segments, bytes, and bytes per column.",
        discussion: """
        Example:
          smsarchive info sms.smsa
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    func run() throws {
        try failingLoudly {
            let stats = try ArchiveStatistics(try ArchiveReader(path: archive))
            let out = StandardOutput()
            out.write("records      \(stats.records)\n")
            out.write("rejects      \(stats.rejects)\n")
            out.write("time span    \(stats.minTime?.iso8601 ?? "-") .. \(stats.maxTime?.iso8601 ?? "-")\n")
            out.write("segments     \(stats.segments) (\(stats.blocks) blocks, \(stats.layouts) record layouts)\n")
            out.write("bytes        \(stats.bytesOnDisk) (\(stats.records > 0 ? String(format1: Double(stats.bytesOnDisk) / Double(stats.records)) : "-") per record)\n")
            out.write("index        \(stats.footerBytes) bytes of footers and rejects, \(stats.filterBytes) of them Bloom filters\n")
            out.write("\ncolumn                    stored bytes   raw bytes     values  encodings\n")
            for c in stats.columns.sorted(by: { $0.storedBytes > $1.storedBytes }) where c.values > 0 {
                let encodings = c.encodings.sorted { $0.value > $1.value }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                out.write(c.name.padded(24) + String(c.storedBytes).leftPadded(14) + String(c.rawBytes).leftPadded(12)
                          + String(c.values).leftPadded(11) + "  " + encodings + "\n")
            }
            out.flush()
        }
    }
}

extension String {
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(tenths % 10)"
    }

    func padded(_ width: Int) -> String { count >= width ? self + " " : self + String(repeating: " ", count: width - count) }
    func leftPadded(_ width: Int) -> String { count >= width ? " " + self : String(repeating: " ", count: width - count) + self }
}
