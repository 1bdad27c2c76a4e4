import SMSRecords
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output folder of a Parquet export. Files are written under a hidden staging
/// folder inside it (`.tmp-export-<pid>`, which Spark, Hive, Trino and pyarrow skip),
/// named `<n>.partial`, so that no glob for `*.parquet` (DuckDB's `OUT/**/*.parquet`
/// descends into hidden folders) can read a file that is still being written. Only
/// once every file is complete are they renamed into their partition folders; a
/// failed or interrupted export leaves the folder as it was, and one killed outright
/// leaves only its staging folder, which the next export into the folder removes.
/// Publishing swaps whole partition folders, assembled beside the output folder (see `publish`).
final class ExportFolder {
    /// The name of a staging folder, followed by the pid of the process writing it.
    static let stagingPrefix = ".tmp-export-"

    let root: String
    let staging: String
    /// Whether existing partitions (those of `scope`) are replaced rather than refused.
    let replace: Bool
    /// The partitions an export covers, which `replace` replaces.
    let scope: ExportScope
    /// The categories of the `category=` folders found in `root`, decoded.
    private(set) var existingCategories: [String] = []
    /// Whether `root` was made by this export (and so is removed again if it fails).
    private var createdRoot = false
    /// The files written: staged path and path relative to `root`.
    private var staged: [(path: String, relative: String)] = []

    /// Checks that `root` is a folder (creating it if missing) that is empty, or that
    /// `replace` allows reusing; removes the staging folders of exports that died;
    /// creates the staging folder.
    init(root: String, replace: Bool, scope: ExportScope = ExportScope()) throws {
        self.replace = replace
        self.scope = scope
        var root = root
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        self.root = root
        staging = root + "/" + Self.stagingPrefix + "\(getpid())"
        if !FileIO.exists(root) {
            try FileIO.makeDirectory(root)
            createdRoot = true
        } else if !FileIO.isDirectory(root) {
            throw ExportError.notAFolder(root)
        } else {
            try Self.removeDeadStaging(in: root)
            let names = try FileIO.listDirectory(root)
            if !replace, !names.isEmpty { throw ExportError.notEmpty(root) }
            existingCategories = names.compactMap(HivePartition.category(ofFolder:)).compactMap { $0 }
        }
        Self.removeTree(staging)
        try FileIO.makeDirectory(staging)
    }

    /// Removes the staging folders in `root` of exports whose process is gone (killed
    /// before they could clean up); refuses to go on while another export is writing.
    static func removeDeadStaging(in root: String) throws {
        for name in try FileIO.listDirectory(root) where name.hasPrefix(stagingPrefix) {
            guard let pid = pid_t(name.dropFirst(stagingPrefix.count)) else { continue }
            if pid != getpid() && pid > 0 && (kill(pid, 0) == 0 || errno == EPERM) {
                throw ExportError.busy(root, Int(pid))
            }
            removeTree(root + "/" + name)
        }
        // The swap folders beside the lake of exports that were killed while publishing.
        let parent = FileIO.parent(of: root), prefix = swapPrefix(root)
        for name in (try? FileIO.listDirectory(parent)) ?? [] where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count)), pid > 0, kill(pid, 0) != 0, errno == ESRCH else { continue }
            removeTree(parent + "/" + name)
        }
    }

    /// A new staged file for `relative` (`category=…/date=…/part-N.parquet`), which
    /// `publish` moves there.
    func stagedPath(_ relative: String) throws -> String {
        let path = staging + "/\(staged.count).partial"
        staged.append((path, relative))
        return path
    }

    /// Puts the staged files in place, one partition folder at a time: each folder (new, or
    /// one of an earlier export that `scope` covers, when replacing) is built complete in the
    /// swap folder (see `swapFolder`) and swapped with the live one in one step (see
    /// `FolderSwap`), so that a reader sees each partition whole, before or after; covered
    /// partitions with no new records are moved out. Then removes the staging and swap
    /// folders, with the old partitions.
    func publish() throws {
        var byFolder: [String: [(path: String, name: String)]] = [:]
        for (path, relative) in staged {
            let slash = relative.lastIndex(of: "/")!
            byFolder[String(relative[..<slash]), default: []].append((path, String(relative[relative.index(after: slash)...])))
        }
        var covered: [String] = []
        var coveredCategories: [String] = []
        if replace {
            for name in try FileIO.listDirectory(root) {
                guard let category = HivePartition.category(ofFolder: name), scope.covers(category: category) else { continue }
                coveredCategories.append(name)
                for day in (try? FileIO.listDirectory(root + "/" + name)) ?? [] {
                    if scope.unbounded || (day.hasPrefix("date=") && scope.covers(date: String(day.dropFirst(5)))) {
                        covered.append(name + "/" + day)
                    }
                }
            }
        }
        let swaps = swapFolder()
        defer { if swaps != staging { Self.removeTree(swaps) } }
        for (k, folder) in Set(byFolder.keys).union(covered).sorted().enumerated() {
            let live = root + "/" + folder
            let fresh = swaps + "/swap-\(k)"
            guard let files = byFolder[folder] else {
                // Covered, and no record of the export falls in it: moved out whole.
                guard rename(live, fresh) == 0 else { throw FileError(live, "rename to \(fresh)") }
                TestHook.reached("partition")
                continue
            }
            try FileIO.makeDirectory(fresh)
            for (path, name) in files {
                guard rename(path, fresh + "/" + name) == 0 else { throw FileError(fresh + "/" + name, "rename from \(path)") }
            }
            if FileIO.exists(live) {
                try FolderSwap.exchange(fresh, live, parking: swaps + "/old-\(k)")
            } else {
                try FileIO.makeDirectory(FileIO.parent(of: live))
                guard rename(fresh, live) == 0 else { throw FileError(live, "rename from \(fresh)") }
            }
            TestHook.reached("partition")
        }
        for name in coveredCategories { rmdir(root + "/" + name) }   // only when nothing is left in it
        Self.removeTree(staging)
        try FileIO.syncDirectory(root)
    }

    /// Where partition folders are assembled and the old ones end up: beside `root` (a hidden
    /// `.<name>.swap-<pid>` in its parent) when that is on the same file system, so that no glob
    /// over `root` ever sees a complete `*.parquet` file outside its partition, even if the
    /// export is killed mid-way; else (the lake is a mount point, or its parent is not writable)
    /// the staging folder.
    private func swapFolder() -> String {
        let parent = FileIO.parent(of: root)
        let path = parent + "/" + Self.swapPrefix(root) + "\(getpid())"
        var rootInfo = stat(), parentInfo = stat()
        guard stat(root, &rootInfo) == 0, stat(parent, &parentInfo) == 0, rootInfo.st_dev == parentInfo.st_dev else { return staging }
        Self.removeTree(path)
        return mkdir(path, 0o755) == 0 ? path : staging
    }

    /// The name of the swap folder of the export into `root`, without its pid.
    static func swapPrefix(_ root: String) -> String {
        "." + (root.split(separator: "/").last.map(String.init) ?? "root") + ".swap-"
    }

    /// Moves the staged files to their paths under `root`, next to whatever is there (a Delta
    /// table's log says which files are live), and removes the staging folder.
    func publishBeside() throws {
        for (path, relative) in staged {
            var folder = root
            for component in relative.split(separator: "/").dropLast() {
                folder += "/" + component
                try FileIO.makeDirectory(folder)
            }
            try FileIO.rename(path, to: root + "/" + relative)
        }
        Self.removeTree(staging)
        try FileIO.syncDirectory(root)
    }

    /// Removes the staging folder and what was written in it.
    func abandon() {
        Self.removeTree(staging)
        if createdRoot { rmdir(root) }
    }

    /// Removes a file or a folder with everything in it; missing paths are ignored.
    static func removeTree(_ path: String) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if info.st_mode & S_IFMT == S_IFDIR {
            for name in (try? FileIO.listDirectory(path)) ?? [] { removeTree(path + "/" + name) }
            rmdir(path)
        } else {
            unlink(path)
        }
    }
}

/// The partitions an export covers: those its time range and `--category` values can
/// reach. Replacing an earlier export replaces these and leaves the others alone.
struct ExportScope {
    /// Records at or after this time.
    var from: Timestamp?
    /// Records before this time.
    var to: Timestamp?
    /// The categories asked for (any letter case), or nil for every category.
    var categories: Set<String>?
    /// The UTC days (`YYYY-MM-DD`) covered, or nil for those of the time range.
    var days: Set<String>?

    /// Whether every day is covered: no time range and no list of days.
    var unbounded: Bool { from == nil && to == nil && days == nil }

    /// Whether the folder of `category` (nil: the default partition) may hold records of the export.
    func covers(category: String?) -> Bool {
        guard let categories else { return true }
        guard let category else { return false }
        return categories.contains { asciiCaseInsensitiveEquals($0, category) }
    }

    /// Whether the UTC day `date` (`YYYY-MM-DD`) overlaps the time range.
    func covers(date: String) -> Bool {
        if let days, !days.contains(date) { return false }
        guard date.count == 10, let start = Timestamp(queryBound: date) else { return false }
        if let to, start >= to { return false }
        if let from, Timestamp(ticks: start.ticks + Timestamp.ticksPerDay) <= from { return false }
        return true
    }
}

/// Why an export could not be made.
package enum ExportError: Error, Sendable, CustomStringConvertible {
    /// The output path exists and is a file.
    case notAFolder(String)
    /// The output folder has entries and replacing was not asked for.
    case notEmpty(String)
    /// Another export (the process of this pid) is writing into the output folder.
    case busy(String, Int)
    /// The export was interrupted (a signal); nothing was written.
    case interrupted(String)
    /// A record time (ISO 8601) that nanoseconds since 1970 in an Int64 cannot hold.
    case timeOutOfRange(String)

    /// One line for the user.
    package var description: String {
        switch self {
        case .notAFolder(let path): return "\(path): exists and is not a folder"
        case .notEmpty(let path): return "\(path): the output folder is not empty (--force replaces the partitions of an earlier export that this export covers)"
        case .busy(let path, let pid): return "\(path): another export (process \(pid)) is writing into this folder"
        case .interrupted(let path): return "interrupted; nothing was written to \(path)"
        case .timeOutOfRange(let time): return "record time \(time) is outside the range of Parquet nanosecond timestamps (1677-09-21 to 2262-04-11); export with --time-unit micros (a lake: into a new folder), or leave the record out with --from/--to (scan ARCHIVE --to 1677-09-22T00:00:00Z, or --from 2262-04-11T00:00:00Z, lists such records)"
        }
    }
}
