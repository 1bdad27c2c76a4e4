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
        (fd, _) = try FileIO.openRegular(path, flags: O_RDWR | O_CREAT, operation: "open lock")
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
