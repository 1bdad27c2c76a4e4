#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A failure of the file system, naming the path and the system's reason.
///
/// Reading or writing an archive throws it when a file cannot be opened, read, written, synced,
/// renamed or locked; the archive is left as it was.
public struct FileError: Error, Sendable, CustomStringConvertible {
    /// The file or folder the operation was on.
    public var path: String
    /// The operation that failed and the system's message, such as `open: Permission denied`.
    public var reason: String
    /// A message for people: the path, then the reason.
    public var description: String { "\(path): \(reason)" }

    package init(_ path: String, _ operation: String) {
        self.path = path
        self.reason = "\(operation): \(String(cString: strerror(errno)))"
    }

    package init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }
}

/// Small POSIX file helpers: crash-safe writes (temporary file, fsync, rename,
/// fsync of the folder) and positioned reads.
package enum FileIO {
    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFDIR
    }

    /// Opens `path` with `flags` (plus close-on-exec and non-blocking) and checks that it is a regular
    /// file: a FIFO standing where an archive's file should be must neither hang the open nor be read.
    /// - Returns: the descriptor (still non-blocking) and the file's status.
    package static func openRegular(_ path: String, flags: Int32, operation: String) throws(FileError) -> (Int32, stat) {
        let fd = open(path, flags | O_CLOEXEC | O_NONBLOCK, 0o644)
        if fd < 0 { throw FileError(path, operation) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { let e = FileError(path, "stat"); close(fd); throw e }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw FileError(path: path, reason: "\(operation): not a regular file (\(typeName(info.st_mode)))")
        }
        return (fd, info)
    }

    /// Whether `path` is a symbolic link (not followed).
    package static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    package static func makeDirectory(_ path: String) throws(FileError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw FileError(path, "mkdir") }
    }

    package static func listDirectory(_ path: String) throws(FileError) -> [String] {
        guard let dir = opendir(path) else { throw FileError(path, "opendir") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// What kind of file a `st_mode` describes, for messages.
    package static func typeName(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFREG: return "a regular file"
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO"
        case S_IFSOCK: return "a socket"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFLNK: return "a symbolic link"
        default: return "an unknown kind of file"
        }
    }

    package static func remove(_ path: String) {
        unlink(path)
    }

    /// Size and modification time (ns since 1970) of a file.
    package static func sizeAndModified(_ path: String) -> (size: Int, modified: Int64)? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return (Int(info.st_size), Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    package static func size(_ path: String) -> Int? {
        var info = stat()
        return stat(path, &info) == 0 ? Int(info.st_size) : nil
    }

    /// Writes `bytes` to `path` so that the file is either absent or whole after a crash:
    /// a temporary file in the same folder is written, fsynced and renamed over `path`,
    /// and the folder is fsynced so the rename itself is durable.
    package static func writeAtomically(_ bytes: [UInt8], to path: String) throws(FileError) {
        let temporary = path + ".tmp-\(getpid())"
        let writer = try FileWriter(creating: temporary)
        do throws(FileError) {
            try writer.write(bytes)
            try writer.finish()
        } catch {
            unlink(temporary)
            throw error
        }
        try rename(temporary, to: path)
    }

    package static func rename(_ from: String, to: String) throws(FileError) {
        if Glibc.rename(from, to) != 0 {
            let error = FileError(to, "rename from \(from)")
            unlink(from)
            throw error
        }
        try syncDirectory(parent(of: to))
    }

    package static func syncDirectory(_ path: String) throws(FileError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY)
        guard fd >= 0 else { throw FileError(path, "open folder") }
        defer { close(fd) }
        if fsync(fd) != 0 { throw FileError(path, "fsync folder") }
    }

    /// `path` with symbolic links, `.` and `..` resolved (realpath(3)); nil when it does not exist.
    package static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether `path` is the folder `root` or inside it, both already resolved by `realPath`.
    package static func isWithin(_ path: String, resolvedFolder root: String) -> Bool {
        path == root || path.hasPrefix(root == "/" ? "/" : root + "/")
    }

    package static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    package static func readAll(_ path: String) throws(FileError) -> [UInt8] {
        let reader = try FileReader(path)
        return try reader.read(at: 0, count: reader.size)
    }
}

/// Writes a new file sequentially; `finish` fsyncs and closes it.
package final class FileWriter {
    package let path: String
    private var fd: Int32
    package private(set) var offset = 0

    package init(creating path: String) throws(FileError) {
        self.path = path
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        if fd < 0 { throw FileError(path, "create") }
    }

    deinit { if fd >= 0 { close(fd) } }

    package func write<C: ContiguousCollection>(_ bytes: C) throws(FileError) where C.Element == UInt8 {
        let failed: Bool = bytes.withUnsafeBytes { buffer in
            var done = 0
            while done < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + done, buffer.count - done)
                if n < 0 { if errno == EINTR { continue }; return true }
                done += n
            }
            return false
        }
        if failed { throw FileError(path, "write") }
        offset += bytes.count
    }

    package func finish() throws(FileError) {
        if fsync(fd) != 0 { throw FileError(path, "fsync") }
        let status = close(fd)
        fd = -1
        if status != 0 { throw FileError(path, "close") }
    }
}

