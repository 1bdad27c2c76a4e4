import SMSArchive
import SMSRecords
import SMSSupport
import ParquetWriter

/// Keeps a data lake folder up to date with an archive: `export --incremental` (a Hive-partitioned
/// Parquet folder, or a Delta Lake table) and `export --format delta`.
///
/// An incremental export compares each UTC day's fingerprint (see `DayFingerprints`) with the
/// one recorded when the day was last exported (`LakeState` for Parquet; the add actions' tags
/// in the Delta log) and writes only the days that differ: new days, days that got late
/// records, compacted days. Their files are written in the staging folder first; then, for
/// Parquet, each partition folder is swapped with the new one in one step and the state file
/// is replaced; for Delta, the files are moved in and one commit removes the old files of
/// those days and adds the new ones.
package enum LakeExporter {
    /// What the output folder is.
    package enum TableFormat: Sendable {
        case parquet
        case delta
    }

    /// What a lake export did.
    package struct Summary: Sendable {
        /// The days whose partitions were written or replaced (or removed: days no longer in the archive).
        package var days: [String] = []
        package var records = 0
        package var files = 0
        package var bytes = 0
        /// The Delta version committed; nil for Parquet and when nothing was written.
        package var version: Int?
        /// Whether nothing had changed since the last export, so nothing was written.
        package var nothingNew = false
    }

    /// Exports `reader` into `root`: with `incremental`, every record, only the changed days;
    /// otherwise (Delta only) the records of `query`, replacing what `query` covers in an existing
    /// table when `options.replace`, else only into a new or empty folder.
    package static func export(_ reader: ArchiveReader, to root: String, format: TableFormat, incremental: Bool,
                               query: ScanQuery = ScanQuery(), options: ParquetExporter.Options) throws -> Summary {
        var options = options
        if format == .delta { options.timeUnit = .micros }
        let existing = try existingEntries(root)
        let stateFile = root + "/" + LakeState.fileName
        let hasLog = existing.contains(DeltaLog.folder)
        let hasState = existing.contains(LakeState.fileName)

        var previous: [String: String] = [:]
        var state: LakeState?
        var log = DeltaLog()
        switch format {
        case .parquet:
            if hasLog { throw LakeError.incompatible(root, "is a Delta table (it has \(DeltaLog.folder)); export into it with --format delta") }
            if !existing.isEmpty && !hasState {
                throw LakeError.notALake(root, "it has files but no \(LakeState.fileName)")
            }
            if hasState {
                let read = try LakeState.read(stateFile)
                guard read.timeUnit == options.timeUnit else {
                    throw LakeError.incompatible(root, "was exported with --time-unit \(LakeState.name(of: read.timeUnit)); an incremental export into it must use the same (or export into a new folder)")
                }
                state = read
                previous = read.days
            }
        case .delta:
            if hasState { throw LakeError.incompatible(root, "is an incremental Parquet export (it has \(LakeState.fileName)), not a Delta table; export into it with --format parquet") }
            if !existing.isEmpty && !hasLog { throw LakeError.notALake(root, "it has files but no \(DeltaLog.folder)") }
            if hasLog {
                log = try DeltaLog.read(root)
                if log.version >= 0 {
                    guard log.schemaString == DeltaSchema.schemaString, log.partitionColumns == DeltaSchema.partitionColumns else {
                        throw LakeError.incompatible(root, "the Delta table's schema or partition columns are not those this program writes (changed by another writer?); export into a new folder")
                    }
                    if !incremental && !options.replace { throw ExportError.notEmpty(root) }
                }
                for file in log.live.values {
                    // A day whose files disagree (or have no fingerprint) is written again.
                    previous[file.date] = previous[file.date].map { $0 == file.fingerprint ? $0 : "" } ?? file.fingerprint ?? ""
                }
            }
        }

        let current = DayFingerprints.of(reader.manifest)
        var queries = [query]
        var days: Set<String>?
        var scope = ExportScope(from: query.from, to: query.to, categories: query.predicates[FieldSchema.category])
        if incremental {
            let changed = Set(current.keys.filter { current[$0] != previous[$0] })
            let gone = Set(previous.keys).subtracting(current.keys)
            if changed.isEmpty && gone.isEmpty {
                return Summary(version: format == .delta ? log.version : nil, nothingNew: true)
            }
            queries = DayFingerprints.queries(for: changed)
            days = changed
            scope = ExportScope(days: changed.union(gone))
        }

        let version = log.version + 1
        if format == .delta { options.fileSuffix = "-v\(version)" }
        let output = try ExportFolder(root: root, replace: true, scope: scope)
        var summary = Summary()
        do {
            let written = try ParquetExporter.write(reader, queries: queries, days: days, into: output, options: options)
            summary.records = written.records
            summary.files = written.files.count
            summary.bytes = written.bytes
            summary.days = Array(Set(written.written.map(\.partition.date)).union(scope.days ?? [])).sorted()
            switch format {
            case .parquet:
                try output.publish()
                TestHook.reached("state")
                var next = state ?? LakeState(timeUnit: options.timeUnit)
                for day in scope.days ?? [] { next.days[day] = current[day] }
                try FileIO.writeAtomically(next.encoded(), to: stateFile)
            case .delta:
                try output.publishBeside()
                TestHook.reached("commit")
                let now = DeltaAction.now()
                var actions: [JSONObject] = []
                if version == 0 {
                    actions.append(DeltaAction.protocolAction())
                    actions.append(DeltaAction.metaData(schemaString: DeltaSchema.schemaString, createdTime: now))
                }
                let removed = log.live.values.filter { file in
                    scope.covers(category: file.category) && (scope.unbounded || scope.covers(date: file.date))
                }.sorted { $0.path < $1.path }
                actions += removed.map { DeltaAction.remove($0, deletionTimestamp: now) }
                actions += written.written.map { file in
                    DeltaAction.add(file, modificationTime: now, fingerprint: incremental ? current[file.partition.date] : nil)
                }
                actions.append(DeltaAction.commitInfo(timestamp: now, operation: incremental ? "WRITE (smsarchive export --incremental)" : "WRITE",
                                                      days: summary.days.count, added: written.written.count, removed: removed.count))
                try DeltaLog.commit(actions, version: version, root: root)
                summary.version = version
            }
        } catch {
            output.abandon()
            throw error
        }
        return summary
    }

    /// The entries of `root` other than staging folders; none when it does not exist.
    private static func existingEntries(_ root: String) throws -> Set<String> {
        guard FileIO.exists(root) else { return [] }
        guard FileIO.isDirectory(root) else { throw ExportError.notAFolder(root) }
        return Set(try FileIO.listDirectory(root).filter { !$0.hasPrefix(ExportFolder.stagingPrefix) })
    }
}
