#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to standard output (or another open file): scans print millions of lines.
///
/// A write that fails ends the process with exit status 1 and a message naming the output
/// (`standard output`, or the file), after `cleanUp` (which removes a temporary file): a full
/// disk, a file-size limit (EFBIG: SIGXFSZ is ignored, see `SMSArchiveCommand.main`) or
/// `> /dev/full` is never silent. A closed pipe (`| head`) ends the process by SIGPIPE, quietly.
final class StandardOutput {
    private var buffer: [UInt8] = []
    private let descriptor: Int32
    private let name: String
    private let cleanUp: () -> Void

    /// Writes to `descriptor`, standard output unless told otherwise; `name` names it in errors.
    init(descriptor: Int32 = 1, name: String = "standard output", cleanUp: @escaping () -> Void = {}) {
        self.descriptor = descriptor
        self.name = name
        self.cleanUp = cleanUp
        buffer.reserveCapacity(1 << 16)
    }

    func write<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 16 { flush() }
    }

    func write(_ text: String) { write(text.utf8) }

    func flush() {
        buffer.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Glibc.write(descriptor, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    let reason = String(cString: strerror(errno))
                    cleanUp()
                    // A pipe closed with SIGPIPE ignored (by a caller) ends as quietly as by the signal.
                    if errno != EPIPE || descriptor != 1 { StandardError.print("smsarchive: error: \(name): write: \(reason)") }
                    exit(1)
                }
                done += n
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Drops what is buffered (its file is being abandoned).
    func discard() {
        buffer.removeAll()
    }

    deinit { flush() }
}

/// Unbuffered lines on standard error.
enum StandardError {
    static func print(_ line: String) {
        var bytes = Array(line.utf8)
        bytes.append(0x0A)
        bytes.withUnsafeBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
