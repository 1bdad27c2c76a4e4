#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `scan` and `export --format jsonl|csv` write: standard output, or a file written
/// under a temporary name (`PATH.tmp-<pid>`) and renamed into place once complete, so that
/// a failed or interrupted run leaves no partial file under the name asked for.
final class OutputFile {
    let out: StandardOutput
    /// The file asked for, nil for standard output.
    let path: String?
    private let temporary: String?
    private var descriptor: Int32

    /// Standard output when `path` is nil; else a new temporary file beside `path`. An existing
    /// `path` is refused unless `replacing` (then the message names `replaceOption`).
    init(path: String?, replacing: Bool, replaceOption: String = "--force") throws {
        self.path = path
        guard let path else {
            descriptor = 1
            temporary = nil
            out = StandardOutput()
            return
        }
        if access(path, F_OK) == 0 && !replacing { throw SystemCallError(path, "exists (\(replaceOption) replaces it)", errno: 0) }
        let temporary = path + ".tmp-\(getpid())"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw SystemCallError(temporary, "open") }
        self.temporary = temporary
        out = StandardOutput(descriptor: descriptor, name: path) { unlink(temporary) }
    }

    /// Flushes; a file is synced, closed and renamed to its name.
    func commit() throws {
        out.flush()
        guard let temporary, let path else { return }
        guard fsync(descriptor) == 0 else { throw SystemCallError(temporary, "fsync") }
        close(descriptor)
        descriptor = -1
        guard rename(temporary, path) == 0 else { throw SystemCallError(path, "rename from \(temporary)") }
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
