import CZlib
import Foundation
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords

/// The repository root, found from this file's path.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    return url.path
}()

let testdataExport = repositoryRoot + "/testdata/export"

/// A fresh empty folder under the system's temporary folder, removed by `cleanup`.
final class TemporaryFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "smsarchive-tests-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Writes `bytes` at `relative` (creating folders) and returns the full path.
    @discardableResult
    func write(_ relative: String, _ bytes: [UInt8]) -> String {
        let full = path + "/" + relative
        try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: full, contents: Data(bytes))
        return full
    }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String { write(relative, Array(text.utf8)) }
}

/// Everything reading some blobs produced.
struct IngestResult {
    var records: [Record] = []
    var rejects: [Reject] = []
    var damaged: [String] = []
}

/// Reads the given blob paths with `ExportReader`.
func ingest(_ paths: [String]) throws -> IngestResult {
    var result = IngestResult()
    try ExportReader(inputs: paths).read { event in
        switch event {
        case .record(let r): result.records.append(r)
        case .reject(let r): result.rejects.append(r)
        case .blobFinished(_, _, _, let damage): if let damage { result.damaged.append(damage) }
        case .blobStarted: break
        }
    }
    return result
}

/// Reads one blob with the given bytes.
func ingest(bytes: [UInt8], name: String = "PT1H.json") throws -> IngestResult {
    let folder = TemporaryFolder()
    let path = folder.write(name, bytes)
    return try ingest([path])
}

func ingest(text: String) throws -> IngestResult { try ingest(bytes: Array(text.utf8)) }

/// gzip-compresses `bytes` as one member, with zlib (level 0 stores the bytes as they are).
func gzip(_ bytes: [UInt8], level: Int32 = 6) -> [UInt8] {
    var stream = z_stream()
    precondition(deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK)
    var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
    var input = bytes
    let produced: Int = input.withUnsafeMutableBytes { inBuf in
        output.withUnsafeMutableBytes { outBuf in
            stream.next_in = inBuf.baseAddress?.assumingMemoryBound(to: Bytef.self)
            stream.avail_in = UInt32(inBuf.count)
            stream.next_out = outBuf.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = UInt32(outBuf.count)
            precondition(deflate(&stream, Z_FINISH) == Z_STREAM_END)
            return outBuf.count - Int(stream.avail_out)
        }
    }
    deflateEnd(&stream)
    return Array(output[0..<produced])
}

/// Parses JSON text with Foundation, an implementation independent of ours, for comparisons.
func foundationJSON(_ bytes: some Collection<UInt8>) throws -> NSObject {
    try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as! NSObject
}

/// The non-empty lines of a file, split on LF only (records may hold U+2028 and friends).
func lines(ofFile path: String) throws -> [[UInt8]] {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    return data.split(separator: 0x0A, omittingEmptySubsequences: true).map { Array($0) }
}

/// A minimal storage-shape record line with the given time text.
func storageLine(time: String = "2026-10-01T00:00:06.4610620Z", extra: String = "") -> String {
    #"{"time":"\#(time)","resourceId":"/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/N","operationName":"SMSMessagesSent","category":"SMSOperational","properties":{"PhoneNumber":"+18334256463","Country":"US"}\#(extra)}"#
}

/// What a child process printed, and how it ended.
struct ChildRun {
    var status: Int32
    var stdout: Data
    var stderr: Data
}

/// Runs `executable` with `arguments` (and `stdin`): `ChildProcess`, the one way tests start a process.
func runChild(_ executable: String, _ arguments: [String], stdin: Data? = nil) throws -> ChildRun {
    let child = try ChildProcess.run([executable] + arguments, stdin: stdin)
    return ChildRun(status: child.status, stdout: Data(child.stdout), stderr: Data(child.stderrBytes))
}

/// SplitMix64 (Steele, Lea and Flood), a small deterministic generator: tests that draw random
/// values reproduce exactly from their seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
