import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The output folder of a Parquet export. Files are written under a hidden staging
/// folder inside it (`.tmp-export-<pid>`, which Spark, Hive and Trino skip) and the
/// partition folders are renamed into place only once every file is complete, so a
/// failed export leaves the folder as it was.
final class ExportFolder {
    let root: String
    let staging: String
    /// Whether existing `category=` folders are replaced rather than refused.
    let replace: Bool
    /// Whether `root` was made by this export (and so is removed again if it fails).
    private var createdRoot = false

    /// Checks that `root` is a folder (creating it if missing) that is empty, or that
    /// `replace` allows reusing; creates the staging folder.
    init(root: String, replace: Bool) throws {
        self.root = root
        self.replace = replace
        if !FileIO.exists(root) {
            try FileIO.makeDirectory(root)
            createdRoot = true
        } else if !FileIO.isDirectory(root) {
            throw ExportError.notAFolder(root)
        } else if !replace, !(try FileIO.listDirectory(root)).isEmpty {
            throw ExportError.notEmpty(root)
        }
        staging = root + "/.tmp-export-\(getpid())"
        Self.removeTree(staging)
        try FileIO.makeDirectory(staging)
    }

    /// The staged path of `relative` (`category=…/date=…/part-N.parquet`), its folders created.
    func stagedPath(_ relative: String) throws -> String {
        var folder = staging
        for component in relative.split(separator: "/").dropLast() {
            folder += "/" + component
            try FileIO.makeDirectory(folder)
        }
        return staging + "/" + relative
    }

    /// Moves the staged partition folders into `root`, replacing the `category=` folders
    /// of an earlier export (other files are left alone), and removes the staging folder.
    func publish() throws {
        let produced = try FileIO.listDirectory(staging)
        if replace {
            let replaced = staging + "/.replaced"
            try FileIO.makeDirectory(replaced)
            for name in try FileIO.listDirectory(root) where name.hasPrefix("category=") {
                try FileIO.rename(root + "/" + name, to: replaced + "/" + name)
            }
        }
        for name in produced {
            try FileIO.rename(staging + "/" + name, to: root + "/" + name)
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

/// Why an export could not be made.
package enum ExportError: Error, Sendable, CustomStringConvertible {
    /// The output path exists and is a file.
    case notAFolder(String)
    /// The output folder has entries and replacing was not asked for.
    case notEmpty(String)
    /// A record time (ISO 8601) that nanoseconds since 1970 in an Int64 cannot hold.
    case timeOutOfRange(String)

    /// One line for the user.
    package var description: String {
        switch self {
        case .notAFolder(let path): return "\(path): exists and is not a folder"
        case .notEmpty(let path): return "\(path): the output folder is not empty (--force replaces the category= folders of an earlier export)"
        case .timeOutOfRange(let time): return "record time \(time) is outside the range of Parquet nanosecond timestamps (1677-09-21 to 2262-04-11)"
        }
    }
}
