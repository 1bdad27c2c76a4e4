import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One writer at a time: an exclusive `flock` on `ARCHIVE/.lock`, released when
/// the process ends (even by SIGKILL), so a crash never leaves a stale lock.
///
/// The lock file is created by the first writer and never removed: a process waiting on
/// it must hold the lock of the one file every later writer locks too.
package final class ArchiveLock {
    private let fd: Int32

    /// Takes the lock; when another process holds it, calls `waiting` once and
    /// waits, or throws when `wait` is false.
    package init(archive: String, wait: Bool, waiting: () -> Void) throws {
        let path = archive + "/.lock"
        // O_NONBLOCK: a FIFO standing there must not hang the open; only a regular file will do.
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0o644)
        if fd < 0 { throw FileError(path, "open lock") }
        var info = stat()
        guard fstat(fd, &info) == 0 else { let e = FileError(path, "stat lock"); close(fd); throw e }
        guard info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw FileError(path: path, reason: "open lock: not a regular file (\(FileIO.typeName(info.st_mode)))")
        }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return }
        guard errno == EWOULDBLOCK else { let e = FileError(path, "lock"); close(fd); throw e }
        guard wait else {
            close(fd)
            throw ArchiveError.busy(archive)
        }
        waiting()
        while flock(fd, LOCK_EX) != 0 {
            guard errno == EINTR else { let e = FileError(path, "lock"); close(fd); throw e }
        }
    }

    deinit { close(fd) }
}
