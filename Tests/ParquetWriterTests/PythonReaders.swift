import Foundation
import Testing

/// Runs Python scripts that read Parquet with pyarrow and DuckDB: readers
/// independent of the writer (`pip install pyarrow duckdb`; `.ci/run` does it).
enum PythonReaders {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `script` with `python3 -c`, passing `arguments`; returns its stdout parsed as JSON.
    static func json(_ script: String, _ arguments: [String]) throws -> Any {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // The semaphore orders the reader thread's write before our read (polling isFinished would not).
        nonisolated(unsafe) var errData = Data()
        let errDone = DispatchSemaphore(value: 0)
        let errReader = Thread {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            errDone.signal()
        }
        errReader.start()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        errDone.wait()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "python3 exited \(process.terminationStatus) (needs pyarrow and duckdb: pip install pyarrow duckdb): "
                          + String(decoding: errData, as: UTF8.self))
        }
        return try JSONSerialization.jsonObject(with: outData, options: [.fragmentsAllowed])
    }

    /// A temporary folder, removed when released.
    final class Folder {
        let path = NSTemporaryDirectory() + "parquetwriter-tests-" + UUID().uuidString
        init() { try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }
}
