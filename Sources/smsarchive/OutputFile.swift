import ArgumentParser
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `scan`, `stats` and `export --format jsonl|csv` write: standard output, or a file written
/// under a temporary name (`PATH.tmp-<pid>`) and renamed into place once complete, so that
/// a failed or interrupted run leaves no partial file under the name asked for. A symbolic link
/// is followed (the file it names is replaced); a device or FIFO is written into directly.
final class OutputFile {
    let out: StandardOutput
    /// The file asked for, nil for standard output.
    let path: String?
    private let temporary: String?
    /// What the temporary file is renamed to: `path`, or the file a symbolic link at `path` names.
    private let target: String?
    private var descriptor: Int32

    /// Standard output when `path` is nil; else a new temporary file beside `path`. An existing
    /// `path` is refused unless `replacing` (then the message names `replaceOption`).
    init(path: String?, replacing: Bool, replaceOption: String = "--force") throws {
        self.path = path
        guard let path else {
            descriptor = 1
            temporary = nil
            target = nil
            out = StandardOutput()
            return
        }
        // A symbolic link is written through (its target replaced), and a device, FIFO or socket written
        // into as it is: only a regular file is replaced by renaming a temporary file over it.
        let target = try Self.resolvingLinks(path)
        var status = stat()
        if stat(target, &status) == 0 && status.st_mode & S_IFMT != S_IFREG {
            guard status.st_mode & S_IFMT != S_IFDIR else { throw SystemCallError(path, "is a directory", errno: 0) }
            descriptor = open(target, O_WRONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw SystemCallError(path, "open") }
            temporary = nil
            self.target = nil
            out = StandardOutput(descriptor: descriptor, name: path) {}
            return
        }
        if access(target, F_OK) == 0 && !replacing { throw SystemCallError(path, "exists (\(replaceOption) replaces it)", errno: 0) }
        let temporary = target + ".tmp-\(getpid())"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemCallError(temporary, "open") }
        self.temporary = temporary
        self.target = target
        out = StandardOutput(descriptor: descriptor, name: path) { unlink(temporary) }
    }

    /// Flushes; a file is synced, closed and renamed to its name.
    func commit() throws {
        out.flush()
        guard path != nil else { return }
        guard let temporary, let target else {
            // Written straight into a device or FIFO: nothing to rename.
            close(descriptor)
            descriptor = -1
            return
        }
        guard fsync(descriptor) == 0 else { throw SystemCallError(temporary, "fsync") }
        close(descriptor)
        descriptor = -1
        guard rename(temporary, target) == 0 else { throw SystemCallError(target, "rename from \(temporary)") }
    }

    /// Whether writing `output` would write into the folder `archive` (the archive being read: its
    /// manifest, a segment, its lock, or a new file among them). Links, `.` and `..` are resolved;
    /// a file that does not exist yet is placed by its folder.
    static func isInside(_ output: String, archive: String) -> Bool {
        guard let root = FileIO.realPath(archive), let target = try? resolvingLinks(output) else { return false }
        let name = target.split(separator: "/").last.map(String.init) ?? target
        guard let place = FileIO.realPath(target) ?? FileIO.realPath(FileIO.parent(of: target)).map({ $0 + "/" + name })
        else { return false }
        return FileIO.isWithin(place, resolvedFolder: root)
    }

    /// `path` with symbolic links followed to what they name (relative targets taken from the link's
    /// folder); a link to nothing yet names the file to create.

    /// The usage error for an `--output` inside the archive being read.
    static func insideArchiveError(_ output: String, archive: String) -> ValidationError {
        ValidationError("--output \(output) is inside the archive \(archive) being read, and writing it would damage the archive; write elsewhere (nothing was written)")
    }

    private static func resolvingLinks(_ path: String) throws -> String {
        var current = path
        for _ in 0..<40 {
            var status = stat()
            guard lstat(current, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return current }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let length = readlink(current, &buffer, buffer.count - 1)
            guard length >= 0 else { throw SystemCallError(path, "readlink") }
            let link = String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if link.hasPrefix("/") {
                current = link
            } else if let slash = current.lastIndex(of: "/") {
                current = String(current[...slash]) + link
            } else {
                current = link
            }
        }
        throw SystemCallError(path, "too many levels of symbolic links", errno: 0)
    }

    /// Removes the temporary file (after a failure).
    func abandon() {
        guard let temporary else { return }
        out.discard()
        if descriptor >= 0 { close(descriptor) }
        descriptor = -1
        unlink(temporary)
    }
}
