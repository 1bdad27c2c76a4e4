#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A stream of bytes read in chunks: a file, standard input, or a decompressor over one.
package protocol ByteSource {
    /// The next chunk, or `nil` at the end. Throws `IngestError.corrupt` when the
    /// stream is damaged; every byte before the damage has been returned by then.
    mutating func nextChunk() throws(IngestError) -> [UInt8]?
}

/// Errors that stop reading one input.
///
/// A conversion throws ``unreadable(path:reason:)`` and stops; damage in a compressed input does
/// not stop it, but is kept as a reject (`RejectReason.corruptInput`) after what came before it.
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The input cannot be opened or read (the whole run fails).
    case unreadable(path: String, reason: String)
    /// The input's compressed stream is damaged; what came before it was kept.
    case corrupt(path: String, reason: String)

    /// A message for people that names the input: for example
    /// `export/PT1H.json: cannot read: No such file or directory`.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "\(path): cannot read: \(reason)"
        case .corrupt(let path, let reason): return "\(path): \(reason)"
        }
    }
}

/// Reads a file descriptor in large chunks with `read(2)`.
package final class FileByteSource: ByteSource {
    package let path: String
    private var fd: Int32
    private let ownsDescriptor: Bool
    /// Bytes the file had when opened, minus those read since (0 when unknown).
    private var expectedLeft = 0
    package static let chunkSize = 1 << 20

    /// Opens `path`, or standard input for `-`.
    package init(path: String) throws(IngestError) {
        self.path = path
        if path == "-" {
            fd = 0
            ownsDescriptor = false
        } else {
            fd = open(path, O_RDONLY)
            ownsDescriptor = true
            if fd < 0 { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
            var info = stat()
            if fstat(fd, &info) == 0 { expectedLeft = Int(info.st_size) }
        }
    }

    deinit {
        if ownsDescriptor && fd >= 0 { close(fd) }
    }

    package func nextChunk() throws(IngestError) -> [UInt8]? {
        var failure: Int32 = 0
        // Uninitialized capacity: zero-filling a megabyte per read showed in profiles. A small
        // blob gets a buffer of its size: a megabyte for each of a million small files did too.
        // (An append blob may grow while it is read: reading goes on until read(2) returns 0.)
        let capacity = expectedLeft > 0 ? min(Self.chunkSize, max(4096, expectedLeft + 1)) : Self.chunkSize
        let chunk = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, filled in
            filled = 0
            while filled < buffer.count {
                let n = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if n == 0 { break }
                filled += n
            }
        }
        if failure != 0 { throw .unreadable(path: path, reason: String(cString: strerror(failure))) }
        expectedLeft = max(0, expectedLeft - chunk.count)
        return chunk.isEmpty ? nil : chunk
    }
}

/// A source that first gives back bytes already read (to sniff a magic number), then the rest.
package struct PrefixedByteSource: ByteSource {
    package var prefix: [UInt8]?
    package var base: any ByteSource

    package mutating func nextChunk() throws(IngestError) -> [UInt8]? {
        if let p = prefix {
            prefix = nil
            if !p.isEmpty { return p }
        }
        return try base.nextChunk()
    }
}
