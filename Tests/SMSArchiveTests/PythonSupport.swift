import Foundation

/// Runs Python scripts that read exports with pyarrow and DuckDB, readers independent
/// of ours (`pip install pyarrow duckdb`; `.ci/run` installs them when missing).
enum Python {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `script` with `python3 -c` and `arguments`; returns its stdout parsed as JSON.
    static func json(_ script: String, _ arguments: [String]) throws -> Any {
        let child = try runChild("/usr/bin/env", ["python3", "-c", script] + arguments)
        guard child.status == 0 else {
            throw Failure(description: "python3 exited \(child.status) (needs pyarrow and duckdb: pip install pyarrow duckdb): "
                          + String(decoding: child.stderr, as: UTF8.self))
        }
        return try JSONSerialization.jsonObject(with: child.stdout, options: [.fragmentsAllowed])
    }
}
