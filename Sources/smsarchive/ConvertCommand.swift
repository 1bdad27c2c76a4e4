import SMSIngest
import SMSSupport
import ArgumentParser
import SMSArchive

/// How many rejects `convert` prints on stderr.
enum RejectsOutput: String, ExpressibleByArgument, CaseIterable {
    case all, summary, none

    /// How many rejects `summary` prints before it only counts them.
    static let summaryLines = 10
}

/// Every input was a folder without blobs.
struct NoBlobs: Error, CustomStringConvertible {
    var description: String { "no export blobs to read; nothing was converted" }
}

struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Read an export (folders, blob files or - for stdin; plain or gzip) and add its new records to an archive.",
        discussion: """
        Folders are walked recursively, as reading goes on, for PT1H.json, PT05M.json (and its overflow files \
        PT05M_1.json, ...) and their .gz forms; files named explicitly are read whatever their name. gzip is \
        recognised by its magic bytes. Each blob may be JSON Lines (LF or CRLF) or the legacy {"records": [...]} form.

        Records are storage-shaped (time, properties) or flat Log Analytics rows (TimeGenerated, Type, _ResourceId). \
        Times may be ISO 8601 (any fraction, Z or an offset) or MM/DD/YYYY HH:MM:SS (UTC); values written with another \
        JSON type than usual ("durationMs":"78", properties escaped into a string) come back exactly as written.

        Conversion is incremental and safe to rerun: the archive remembers how far it read each blob. A blob seen \
        before is skipped when its size is unchanged (when only its time changed, after checking its start), read \
        on from where it stopped when it has grown (the open hour's append blob; a cut last line is taken once \
        complete), and reported, not imported again, when its earlier part changed. Records are stored in segments \
        by the UTC day of their own time (blobs can hold late records).

        A line that is not a record (invalid JSON or UTF-8, not an object, no parsable time, or the cut last line of \
        an open blob) is kept byte for byte in the archive (see `smsarchive rejects`), and the run goes on. On \
        stderr, the first \(RejectsOutput.summaryLines) are reported as FILE:LINE: reason: detail, then a count per \
        reason (--rejects all reports each, --rejects none only the counts). A line longer than --max-line-bytes \
        (16 MiB by default) is not held in memory: it is a too-long reject keeping its first 4 KiB, its length and \
        its XXH64.

        The archive folder is created if needed. Nothing is visible in it until the run succeeds; on failure or when \
        killed it is left exactly as it was (a new archive's folder and lock file stay, empty, for the next run). \
        One process writes an archive at a time; another waits (or, with --no-wait, stops).

        An input folder holding no blob is reported; when no input holds one, nothing is converted (exit 1). An input \
        that is the output archive or inside it is refused (exit 64).

        Exit status: 0 all lines archived; 2 finished, but lines were rejected, blobs had changed or had the key of \
        another input; 1 failure.

        Example (nightly, from cron; /data/export holds insights-logs-smsoperational/, insights-logs-usage/, ...):
          smsarchive convert /data/export --output /data/sms.smsa
        """
    )

    @Argument(help: ArgumentHelp("Export folders, blob files, or - for standard input.", valueName: "input"))
    var inputs: [String]

    @Option(name: [.short, .long], help: ArgumentHelp("The archive folder to create or add to.", valueName: "archive"))
    var output: String

    @Flag(name: [.short, .long], help: "Print neither rejects, progress nor the summary on stderr.")
    var quiet = false

    @Option(help: ArgumentHelp("Rejects on stderr: all (each one), summary (the first \(RejectsOutput.summaryLines), then "
                               + "a count per reason; the default) or none (only the count per reason).", valueName: "mode"))
    var rejects: RejectsOutput = .summary

    @Option(parsing: .unconditional, help: ArgumentHelp("zstd compression level (1-22).", valueName: "level"))
    var level: Int32 = Zstd.defaultLevel

    @Flag(name: .customLong("no-wait"), help: "Stop (exit 1) instead of waiting when another process is writing the archive.")
    var noWait = false

    @Option(name: .customLong("buffer-size"), parsing: .unconditional, help: ArgumentHelp("MiB of memory for records being collected before a segment is written (bounds peak memory; one more segment may be held while it is written).", valueName: "MiB"))
    var bufferSize: Int = 32

    @Option(name: .customLong("max-line-bytes"), help: ArgumentHelp("The longest input line read (default 16 MiB, at most 200 MiB); a longer one is rejected as too-long, keeping its first 4 KiB, its length and its XXH64.", valueName: "bytes"))
    var maxLineBytes: Int = ExportReader.defaultMaxLineBytes

    /// The largest --buffer-size, in MiB (1 TiB; its bytes must fit an Int).
    static let maxBufferSize = 1 << 20

    func validate() throws {
        // A command-line mistake (convert A/segments/*.smsseg --output A), refused before anything is read.
        if let input = Converter.inputInsideArchive(inputs, archive: output) {
            throw ValidationError(InputInsideArchive(input: input, archive: output).description)
        }
        guard (1...22).contains(level) else { throw ValidationError("--level must be 1 to 22, not \(level)") }
        guard (1...BlobParser.maxMaxLineBytes).contains(maxLineBytes) else {
            throw ValidationError("--max-line-bytes must be 1 to \(BlobParser.maxMaxLineBytes) (200 MiB), not \(maxLineBytes)")
        }
        guard (1...ConvertCommand.maxBufferSize).contains(bufferSize) else {
            throw ValidationError("--buffer-size must be 1 to \(ConvertCommand.maxBufferSize) (MiB), not \(bufferSize)")
        }
    }

    func run() throws {
        var needsAttention = false
        try failingLoudly {
            var options = ArchiveWriter.Options()
            options.compressionLevel = level
            options.waitForLock = !noWait
            options.segmentMemory = bufferSize << 20
            let quiet = quiet
            let archive = output
            options.onWait = { if !quiet { StandardError.print("smsarchive: \(archive) is being written by another process; waiting for it to finish") } }
            let converter = try Converter(inputs: inputs, archive: output, options: options)
            converter.maxLineBytes = maxLineBytes
            // A folder without a single blob is most likely the wrong folder: say so, and
            // when no input holds a blob, stop before creating or touching the archive.
            // (Each input is walked only as far as its first blob.)
            var anyBlob = inputs.contains("-")
            for input in inputs where input != "-" {
                if try InputWalker(inputs: [input]).next() != nil { anyBlob = true; continue }
                StandardError.print("smsarchive: \(input): no export blobs (PT1H.json, PT05M.json or their .gz forms) in this folder")
            }
            if !anyBlob { throw NoBlobs() }
            let progress = ProgressLine(enabled: !quiet)
            if progress.enabled {
                // Only for a terminal: the walk stats every blob once more, so the line can show a total and ETA.
                var total = ProgressLine.Total()
                let walker = InputWalker(inputs: inputs.filter { $0 != "-" })
                while let blob = try walker.next() {
                    total.blobs += 1
                    total.bytes += FileIO.size(blob) ?? 0
                }
                progress.total = total
            }
            let shown = rejects == .all ? Int.max : rejects == .summary ? RejectsOutput.summaryLines : 0
            var perReason: [RejectReason: Int] = [:]
            var printed = 0
            let summary = try converter.run { event in
                switch event {
                case .reject(let reject):
                    perReason[reject.reason, default: 0] += 1
                    if !quiet && printed < shown { progress.clear(); StandardError.print(reject.diagnostic); printed += 1 }
                case .changed(let path, let reason):
                    if !quiet { progress.clear(); StandardError.print("\(path): changed since it was archived: \(reason); not imported again") }
                case .sameKey(let path, let other):
                    if !quiet {
                        progress.clear()
                        StandardError.print("\(path): not read: \(other), read in this run, is another file with the same blob key "
                                            + "(\(SourceState.key(for: path))); an archive keeps one blob per key: convert it in a separate run, "
                                            + "which reads it as a grown or changed copy")
                    }
                case .progress(let p):
                    progress.show(p)
                }
            }
            progress.clear()
            needsAttention = summary.rejects > 0 || !summary.changed.isEmpty || !summary.sameKey.isEmpty
            if !quiet {
                StandardError.print("smsarchive: added \(summary.records) records (\(summary.rejects) rejected) to \(output): "
                    + "\(summary.blobsNew) new blobs, \(summary.blobsResumed) grown, \(summary.blobsUnchanged) unchanged, "
                    + "\(summary.changed.count) changed"
                    + (summary.sameKey.isEmpty ? "" : ", \(summary.sameKey.count) not read (same key as another input)")
                    + "; \(summary.archiveBytes) bytes in \(summary.segments) new segments")
                if summary.rejects > 0 {
                    let counts = RejectReason.allCases.compactMap { reason in perReason[reason].map { "\(reason.rawValue) \($0)" } }
                    let hidden = summary.rejects - printed
                    StandardError.print("smsarchive: rejected lines by reason: " + counts.joined(separator: ", ")
                        + (hidden > 0 ? " (\(hidden) not shown above; --rejects all prints each)" : "")
                        + "; smsarchive rejects \(output) lists them")
                }
            }
        }
        if needsAttention { throw ExitStatus.rejects }
    }
}
