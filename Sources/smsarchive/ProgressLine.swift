#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSArchive

/// A progress line on stderr, rewritten in place, only when stderr is a terminal.
final class ProgressLine {
    /// The blobs to read and their bytes on disk, counted ahead by a walk of the inputs.
    struct Total {
        var blobs = 0
        var bytes = 0
    }

    let enabled: Bool
    /// Set before the run when known: the line then shows how far along it is and an estimate of the time left.
    var total: Total?
    private var shown = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) != 0
    }

    func show(_ p: Converter.Progress) {
        guard enabled else { return }
        write("\r\u{1B}[K" + Self.text(p, total: total))
        shown = true
    }

    /// The line for `p`: files and MB done (of the total), records, rejects, rate, and the time left.
    static func text(_ p: Converter.Progress, total: Total?) -> String {
        let mb = p.bytesDone / 1_048_576
        let rate = p.seconds > 0 ? Double(p.records) / p.seconds : 0
        var files = "files \(p.blobsDone)", bytes = "\(mb) MB"
        var left = ""
        if let total {
            files += "/\(total.blobs)"
            bytes = "\(mb)/\(total.bytes / 1_048_576) MB"
            if p.bytesDone > 0, p.seconds >= 1, total.bytes > p.bytesDone {
                let seconds = Int(p.seconds * Double(total.bytes - p.bytesDone) / Double(p.bytesDone))
                left = "  ETA " + (seconds >= 3600 ? "\(seconds / 3600)h\(seconds / 60 % 60)m" : seconds >= 60 ? "\(seconds / 60)m\(seconds % 60)s" : "\(seconds)s")
            }
        }
        return "\(files)  \(bytes)  \(p.records) records (\(p.rejects) rejected)  \(Int(rate)) rec/s" + left
    }

    func clear() {
        guard shown else { return }
        write("\r\u{1B}[K")
        shown = false
    }

    private func write(_ s: String) {
        var bytes = Array(s.utf8)
        bytes.withUnsafeMutableBytes { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
