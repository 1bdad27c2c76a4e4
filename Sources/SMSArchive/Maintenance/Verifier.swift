import SMSFormat
import SMSIngest
import SMSRecords
import SMSSupport

/// Checks an archive: `smsarchive verify` as a library call.
///
/// Verification reads every segment, checks every checksum, decodes every block, rebuilds every
/// record and compares the counts with the manifest. Given the export the archive came from, it
/// also reads the export again and checks that every record of it is in the archive, equal as
/// JSON, and that every reject of it is kept. Damage is reported in the ``Report``, not thrown.
///
/// ```swift
/// let report = try Verifier(archive: "sms.smsa").run(against: ["export/"])
/// if !report.holds {
///     report.problems.forEach { print("damaged:", $0) }
///     report.missingRecords.forEach { print("missing:", $0) }
///     report.missingRejects.forEach { print("reject missing:", $0) }
/// }
/// ```
public final class Verifier {
    /// What verification found.
    public struct Report: Sendable {
        /// Segments checked.
        public var segments = 0
        /// Blocks read, including one in which damage was found.
        public var blocks = 0
        /// Records rebuilt, over the segments without damage.
        public var records = 0
        /// Rejects read, over the segments without damage.
        public var rejects = 0
        /// The damage found, one entry per damaged segment (its checking stops at the first
        /// problem), each naming the file and, where it applies, the block and row.
        public var problems: [String] = []
        /// Up to 20 of the export's records that the archive lacks (or holds fewer times than the
        /// export), each as `BLOB: record N at TIME`, where N counts the blob's records.
        public var missingRecords: [String] = []
        /// How many of the export's records the archive lacks, all of them.
        public var missingRecordCount = 0
        /// The export's rejects that the archive lacks, as `BLOB:LINE`. A cut last line that a later
        /// run may still take is not counted.
        public var missingRejects: [String] = []
        /// Records read from the export; 0 without one.
        public var sourceRecords = 0

        /// Whether the archive holds up: no damage, and nothing of the export missing.
        public var holds: Bool { problems.isEmpty && missingRecordCount == 0 && missingRejects.isEmpty }
    }

    /// The archive folder to check.
    public let archive: String
    /// The longest export line read with `against` (as convert's `--max-line-bytes`).
    public var maxLineBytes = ExportReader.defaultMaxLineBytes

    /// Prepares a check of the archive at `archive`; nothing is read until ``run(against:)``.
    ///
    /// - Parameter archive: The archive folder.
    public init(archive: String) {
        self.archive = archive
    }

    /// Decodes the whole archive and, given an export, checks that all of it is in the archive.
    ///
    /// This reads every byte of the archive (and of the export), so it takes about as long as a full
    /// scan (and a conversion). Records are compared as JSON text, whatever their order.
    ///
    /// - Parameter inputs: The export the archive was made from, as ``Converter`` takes it: folders
    ///   and blob files. `nil` (the default) checks the archive alone.
    /// - Returns: What verification found; see ``Report/holds``.
    /// - Throws: ``ArchiveError/notAnArchive(_:_:)`` when `archive` is not an archive;
    ///   ``/SMSSupport/FormatError`` when its manifest is damaged; ``/SMSIngest/IngestError`` when
    ///   the export cannot be read; ``/SMSSupport/FileError`` when a file cannot be read. Damage in
    ///   segments is reported in ``Report/problems`` instead.
    public func run(against inputs: [String]? = nil) throws -> Report {
        var report = Report()
        // Every manifest field is checked here, segment by segment, against what the segment holds.
        let reader = try ArchiveReader(path: archive, checkingManifest: false)
        if let file = reader.manifest.segmentListedTwice {
            report.problems.append("\(archive)/\(Manifest.fileName): segment \(file) is listed more than once")
        }
        var fingerprints: [UInt64: Int] = [:]
        var bytes: [UInt8] = []
        for (index, entry) in reader.manifest.segments.enumerated() {
            report.segments += 1
            do {
                let segment = try reader.segment(index)
                if let problem = ArchiveReader.disagreement(entry, segment) {
                    throw FormatError.damaged("\(segment.path): \(problem)")
                }
                var records = 0
                var categories = Set<String>()
                for block in segment.blocks.indices {
                    report.blocks += 1
                    let batch = try segment.readBatch(block)
                    for row in 0..<batch.count {
                        categories.insert(batch.string(FieldSchema.category, row: row) ?? "")
                        bytes.removeAll(keepingCapacity: true)
                        try batch.writeJSON(row: row, to: &bytes)
                        guard case .object = try JSONParser.parseDocument(bytes, maxDepth: JSONParser.storedMaxDepth) else {
                            throw FormatError.damaged("\(segment.path): block \(block) row \(row) is not a JSON object")
                        }
                        if inputs != nil { fingerprints[xxh64(bytes), default: 0] += 1 }
                    }
                    records += batch.count
                }
                let rejects = try segment.readRejects()
                guard records == entry.records, rejects.count == entry.rejects else {
                    throw FormatError.damaged("\(segment.path): holds \(records) records and \(rejects.count) rejects; the manifest says \(entry.records) and \(entry.rejects)")
                }
                // Archives written before categories were kept list none: nothing to compare.
                guard entry.categories.isEmpty || Set(entry.categories) == categories else {
                    throw FormatError.damaged("\(segment.path): its records have categories \(categories.sorted()); the manifest says \(entry.categories)")
                }
                report.records += records
                report.rejects += rejects.count
            } catch {
                report.problems.append("\(error)")
            }
        }
        if let inputs { try compare(with: inputs, fingerprints: &fingerprints, reader: reader, report: &report) }
        return report
    }

    private func compare(with inputs: [String], fingerprints: inout [UInt64: Int], reader: ArchiveReader, report: inout Report) throws {
        var archivedRejects = Set<ResolvedLine>()
        for segment in try reader.segments {
            for reject in (try? segment.readRejects()) ?? [] {
                archivedRejects.insert(ResolvedLine(key: SourceState.key(for: reject.source), line: reject.line))
            }
        }
        let resolved = try reader.resolvedRejects()
        var export = try ExportReader(inputs: inputs)
        export.maxLineBytes = maxLineBytes
        for blob in export.blobs {
            var line = 0
            _ = try export.readBlob(blob, resume: nil) { event in
                switch event {
                case .record(let record):
                    report.sourceRecords += 1
                    line += 1
                    let fp = xxh64(JSONWriter.bytes(of: record.object))
                    if let n = fingerprints[fp], n > 0 {
                        fingerprints[fp] = n - 1
                    } else {
                        report.missingRecordCount += 1
                        if report.missingRecords.count < 20 { report.missingRecords.append("\(blob): record \(line) at \(record.time.iso8601)") }
                    }
                case .reject(let reject):
                    let key = ResolvedLine(key: SourceState.key(for: blob), line: reject.line)
                    // A cut last line of an open blob may legitimately be pending (not yet taken).
                    if !archivedRejects.contains(key) && !resolved.contains(key) && reject.reason != .truncated {
                        report.missingRejects.append("\(blob):\(reject.line)")
                    }
                default:
                    break
                }
            }
        }
    }
}
