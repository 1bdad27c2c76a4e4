import SMSFormat
import SMSIngest
import SMSRecords
import SMSSupport

/// Checks an archive: every checksum, every block decoded and every record
/// rebuilt; and, given the export it came from, that every record and reject
/// of the export is in the archive, equal.
public final class Verifier {
    /// What verification found.
    public struct Report: Sendable {
        public var segments = 0
        public var blocks = 0
        public var records = 0
        public var rejects = 0
        /// Damage found: each names the file and the block.
        public var problems: [String] = []
        /// Export records that the archive lacks (or holds fewer times), as `FILE:LINE`.
        public var missingRecords: [String] = []
        public var missingRecordCount = 0
        /// Export rejects that the archive lacks, as `FILE:LINE`.
        public var missingRejects: [String] = []
        public var sourceRecords = 0

        /// Whether the archive holds up.
        public var holds: Bool { problems.isEmpty && missingRecordCount == 0 && missingRejects.isEmpty }
    }

    public let archive: String
    /// The longest export line read with `against` (as convert's `--max-line-bytes`).
    public var maxLineBytes = ExportReader.defaultMaxLineBytes

    public init(archive: String) {
        self.archive = archive
    }

    /// Decodes everything; with `against`, re-reads that export and checks it is all in the archive.
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
