import SMSFormat
import SMSIngest
import SMSRecords
import SMSSupport

/// The source states an archive holds: files under `sources/`, one per run, listed
/// in the manifest; a later entry for a blob replaces an earlier one. Each file is
/// JSON Lines compressed as one zstd frame (`.jsonl.zst`).
package enum SourceLedger {
    /// The latest state of every blob.
    package static func load(archive: String, manifest: Manifest) throws -> [String: SourceState] {
        var states: [String: SourceState] = [:]
        for file in manifest.sourceFiles {
            let path = archive + "/" + file
            let stored = try FileIO.readAll(path)
            let bytes = file.hasSuffix(".zst") ? try Zstd.decompressFrame(stored, limit: SegmentLayout.maxChunkBytes, context: path) : stored
            for (i, line) in bytes.split(separator: 0x0A).enumerated() {
                let value: JSONValue
                do { value = try JSONParser.parseDocument(Array(line)) } catch { throw FormatError.damaged("\(path):\(i + 1): \(error.message)") }
                let state = try SourceState(json: value, context: "\(path):\(i + 1)")
                states[state.key] = state
            }
        }
        return states
    }

    /// The file name suffix of a source-state file.
    package static let fileSuffix = ".jsonl.zst"

    package static func encode(_ states: [SourceState]) -> [UInt8] {
        var out: [UInt8] = []
        for s in states {
            out.append(contentsOf: s.json())
            out.append(0x0A)
        }
        return Zstd.compress(out)
    }
}
