import SMSRecords
import ArgumentParser
import SMSArchive

struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Merge an archive's small segments, day by day, into large sorted ones.",
        discussion: """
        Segments smaller than --target-size of the same UTC day (a night's runs) are merged into one sorted segment \
        with fresh dictionaries. No record or reject is lost or duplicated. The swap is one atomic manifest \
        replacement: interrupted at any point, the archive is the old one or the new one, whole. The archive must \
        exist. When its manifest disagrees with the segments (records, rejects, bytes, time span, categories, a \
        segment listed twice), or not every record of what it merges can be read back, nothing is changed or \
        deleted (exit 1; see verify).

        Example (weekly):
          smsarchive compact /data/sms.smsa
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @Option(name: .customLong("target-size"), parsing: .unconditional, help: ArgumentHelp("Leave segments of at least this many MiB alone.", valueName: "MiB"))
    var targetSize: Int = 64

    @Option(help: ArgumentHelp("Only segments with records at or after this time.", valueName: "time"))
    var from: String?

    @Option(help: ArgumentHelp("Only segments with records before this time.", valueName: "time"))
    var to: String?

    @Flag(name: [.short, .long], help: "Print no summary.")
    var quiet = false

    @Flag(name: .customLong("no-wait"), help: "Stop (exit 1) instead of waiting when another process is writing the archive.")
    var noWait = false

    func validate() throws {
        try TimeBound.check("--from", from)
        try TimeBound.check("--to", to)
        try RecordFilterOptions.checkRange(from: from, to: to)
        guard (1...ConvertCommand.maxBufferSize).contains(targetSize) else {
            throw ValidationError("--target-size must be 1 to \(ConvertCommand.maxBufferSize) (MiB), not \(targetSize)")
        }
    }

    func run() throws {
        try failingLoudly {
            var options = Compactor.Options()
            options.targetBytes = targetSize << 20
            options.from = from.flatMap(TimeBound.parse)
            options.to = to.flatMap(TimeBound.parse)
            options.writer.waitForLock = !noWait
            let archive = archive
            let quiet = quiet
            options.writer.onWait = { if !quiet { StandardError.print("smsarchive: \(archive) is being written by another process; waiting for it to finish") } }
            let summary = try Compactor(archive: archive, options: options).run()
            if !quiet {
                StandardError.print("smsarchive: compacted \(summary.merged) segments (\(summary.records) records, \(summary.bytesBefore) bytes) into \(summary.bytesAfter) bytes; \(summary.segmentsBefore) segments before, \(summary.segmentsAfter) after")
            }
        }
    }
}
