#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a regular file at offsets. Its descriptor is one of at most `DescriptorPool.limit` open at
/// once: closed when others are needed, and opened again (the same file, checked by device and inode)
/// when read again, so that an archive of thousands of segments reads under the usual limit of 1024
/// open files.
package final class FileReader: Sendable {
    package let path: String
    package let size: Int
    /// The file opened first (device, inode, size, modification time): a path that names another
    /// file when it is opened again is an error.
    private let identity: FileIdentity

    /// Opens `path`, which must be a regular file: the archive's own files (segments, manifest,
    /// source states) are, and anything else (a FIFO would block the open, or the reads, forever) is an error.
    package init(_ path: String) throws(FileError) {
        self.path = path
        let (fd, info) = try Self.openRegular(path)
        size = Int(info.st_size)
        identity = FileIdentity(info)
        DescriptorPool.shared.adopt(fd, for: ObjectIdentifier(self))
    }

    deinit { DescriptorPool.shared.forget(ObjectIdentifier(self)) }

    /// Opens `path` for reading and checks that it is a regular file.
    private static func openRegular(_ path: String) throws(FileError) -> (Int32, stat) {
        let (fd, info) = try FileIO.openRegular(path, flags: O_RDONLY, operation: "open")
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return (fd, info)
    }

    /// `count` bytes from `offset` (fewer at the end of the file).
    package func read(at offset: Int, count: Int) throws(FileError) -> [UInt8] {
        let fd = try DescriptorPool.shared.pin(ObjectIdentifier(self)) { () throws(FileError) -> Int32 in
            let (fd, info) = try Self.openRegular(path)
            guard FileIdentity(info) == identity else {
                close(fd)
                throw FileError(path: path, reason: "open: the file was replaced while it was being read")
            }
            return fd
        }
        defer { DescriptorPool.shared.unpin(ObjectIdentifier(self)) }
        var buffer = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + done, count - done, off_t(offset + done)) }
            if n < 0 { if errno == EINTR { continue }; throw FileError(path, "read") }
            if n == 0 { break }
            done += n
        }
        if done < count { buffer.removeLast(count - done) }
        return buffer
    }
}

private struct FileIdentity: Equatable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int64(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
    }
}

/// The open descriptors of the `FileReader`s of this process, at most `limit`: the least recently
/// used one that no read is using is closed to make room for another.
package final class DescriptorPool: @unchecked Sendable {
    /// Descriptors open at once, at most (the man page states it): 128, or half the process's limit
    /// of open files when that is lower, so that the rest of the program has descriptors too.
    package static let limit: Int = {
        var limits = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0, limits.rlim_cur < rlim_t(Int32.max) else { return 128 }
        return max(8, min(128, Int(limits.rlim_cur) / 2))
    }()
    package static let shared = DescriptorPool()

    private struct Entry {
        var fd: Int32
        var pins = 0
        var lastUse: UInt64
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        var clock: UInt64 = 0
    }

    // A pthread mutex, not Synchronization's Mutex: the thread sanitizer sees this one's ordering
    // (it reported the pool's state as raced under the other). `state` is touched only while it is held.
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var state = State()

    private init() {
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    private func withLock<T>(_ body: (inout State) -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body(&state)
    }

    /// Descriptors open now (for tests).
    package var openCount: Int { withLock { $0.entries.count } }

    /// Takes `fd`, just opened for `reader`.
    func adopt(_ fd: Int32, for reader: ObjectIdentifier) {
        let evicted: Int32? = withLock { state in
            let victim = Self.makeRoom(&state)
            state.clock += 1
            state.entries[reader] = Entry(fd: fd, lastUse: state.clock)
            return victim
        }
        if let evicted { close(evicted) }
    }

    /// The descriptor of `reader`, opened again with `reopen` if it was closed; kept open until `unpin`.
    func pin(_ reader: ObjectIdentifier, reopen: () throws(FileError) -> Int32) throws(FileError) -> Int32 {
        let known: Int32? = withLock { state in
            guard var entry = state.entries[reader] else { return nil }
            state.clock += 1
            entry.pins += 1
            entry.lastUse = state.clock
            state.entries[reader] = entry
            return entry.fd
        }
        if let known { return known }
        let fd = try reopen()
        let evicted: Int32? = withLock { state in
            let victim = Self.makeRoom(&state)
            state.clock += 1
            state.entries[reader] = Entry(fd: fd, pins: 1, lastUse: state.clock)
            return victim
        }
        if let evicted { close(evicted) }
        return fd
    }

    func unpin(_ reader: ObjectIdentifier) {
        withLock { state in state.entries[reader]?.pins -= 1 }
    }

    /// Closes the descriptor of a reader that is gone.
    func forget(_ reader: ObjectIdentifier) {
        if let entry = withLock({ $0.entries.removeValue(forKey: reader) }) { close(entry.fd) }
    }

    /// Removes the least recently used unpinned entry when the pool is full; returns its descriptor to close.
    private static func makeRoom(_ state: inout State) -> Int32? {
        guard state.entries.count >= limit else { return nil }
        guard let victim = state.entries.filter({ $0.value.pins == 0 }).min(by: { $0.value.lastUse < $1.value.lastUse }) else {
            return nil   // every descriptor is in use by a read: go over the limit for now
        }
        state.entries.removeValue(forKey: victim.key)
        return victim.value.fd
    }
}
