#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSArchive

/// A progress line on stderr, rewritten in place, only when stderr is a terminal.
final class ProgressLine {
    private let enabled: Bool
    private var shown = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) != 0
    }

    func show(_ p: Converter.Progress) {
        guard enabled else { return }
        // Folders are walked as reading goes on: there is no total to count down from.
        let mb = Double(p.bytesDone) / 1_048_576
        let rate = p.seconds > 0 ? Double(p.records) / p.seconds : 0
        let line = "files \(p.blobsDone)  \(Int(mb)) MB  \(p.records) records (\(p.rejects) rejected)  \(Int(rate)) rec/s"
        write("\r\u{1B}[K" + line)
        shown = true
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
