// The reading stage of `convert` alone, without files, threads or the writer: every line of the
// given JSON Lines files, held in memory, is taken apart by `LineShredder` (which validates its
// UTF-8 first), and the CPU seconds are printed. Not a product: it exists to time the parse
// (`swift build -c release --static-swift-stdlib --product ShredLines`, then
// `.build/release/ShredLines [--repeat N] FILE...`; see bench/README.md).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSIngest
import SMSRecords
import SMSSupport

var arguments = Array(CommandLine.arguments.dropFirst())
var repeats = 1
if arguments.first == "--repeat", arguments.count >= 2, let n = Int(arguments[1]), n > 0 {
    repeats = n
    arguments.removeFirst(2)
}
guard !arguments.isEmpty else {
    _ = "usage: ShredLines [--repeat N] FILE...\n".withCString { write(2, $0, strlen($0)) }
    exit(64)
}

func readWhole(_ path: String) -> [UInt8] {
    guard let file = fopen(path, "rb") else { perror(path); exit(1) }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
        let n = chunk.withUnsafeMutableBytes { fread($0.baseAddress!, 1, $0.count, file) }
        if n == 0 { break }
        bytes.append(contentsOf: chunk[0..<n])
    }
    return bytes
}

let blobs = arguments.map { (bytes: readWhole($0), path: BlobPath(parsing: $0)) }

func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

var shredder = LineShredder()
var lines = 0, taken = 0, textBytes = 0, totalBytes = 0
let start = cpuSeconds()
for _ in 0..<repeats {
    for blob in blobs {
        blob.bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let rest = buffer.count - offset
                let end = memchr(buffer.baseAddress! + offset, 0x0A, rest).map { UnsafeRawPointer($0) - buffer.baseAddress! } ?? buffer.count
                let line = UnsafeRawBufferPointer(rebasing: buffer[offset..<end])
                lines += 1
                totalBytes += line.count
                if let record = shredder.shred(line, path: blob.path) {
                    taken += 1
                    textBytes &+= record.text.count
                }
                offset = end + 1
            }
        }
    }
}
let seconds = cpuSeconds() - start
print("lines \(lines) taken \(taken) text \(textBytes) bytes \(totalBytes)")
print("cpu \(Double(Int(seconds * 1000)) / 1000) s, \(Int(Double(totalBytes) / seconds / 1e6)) MB/s")
