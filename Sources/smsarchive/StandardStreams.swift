#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Buffered writes to standard output (or another open file): scans print millions of lines.
final class StandardOutput {
    private var buffer: [UInt8] = []
    private let descriptor: Int32

    /// Writes to `descriptor`, standard output unless told otherwise.
    init(descriptor: Int32 = 1) {
        self.descriptor = descriptor
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
                    // A closed pipe on stdout ends quietly (`| head`); a failing file is reported.
                    if descriptor != 1 { StandardError.print("smsarchive: error: write: \(String(cString: strerror(errno)))") }
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
