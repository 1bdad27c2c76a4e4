import SMSSupport
import SMSRecords

/// How far an archive has read one source blob: what a rerun of `convert`
/// needs to add nothing twice and to read a grown append blob from where it stopped.
package struct SourceState: Sendable, Equatable {
    /// The blob's identity across runs: its path from the `insights-logs-…` or
    /// `am-…` container on, or the path as given when it has no such part.
    package var key: String
    /// The path as given on the run that read it last.
    package var path: String
    /// File size and modification time (ns since 1970) when last read: unchanged means not read again.
    package var size: Int
    package var modified: Int64
    /// Decompressed bytes taken (through the last complete line).
    package var consumed: Int
    /// Lines taken.
    package var lines: Int
    /// XXH64 of the first `consumed` decompressed bytes: proves a grown blob kept its start.
    package var hash: UInt64
    /// A cut last line that was rejected and will be read again when the blob grows.
    package var pendingLine: Int?
    /// Lines whose earlier `truncated` or `corrupt-input` reject was superseded by reading them again.
    package var resolved: [Int] = []

    /// The key of a blob path: from its container folder on, else the whole path.
    package static func key(for path: String) -> String {
        let parts = path.split(separator: "/", omittingEmptySubsequences: true)
        if let i = parts.firstIndex(where: { $0.lowercased().hasPrefix("insights-logs-") || $0.lowercased().hasPrefix("am-") }) {
            return parts[i...].joined(separator: "/")
        }
        return path
    }

    package func json() -> [UInt8] {
        var object = JSONObject([
            JSONMember(key: "key", value: .string(key)),
            JSONMember(key: "path", value: .string(path)),
            JSONMember(key: "size", value: .number(String(size))),
            JSONMember(key: "modified", value: .number(String(modified))),
            JSONMember(key: "consumed", value: .number(String(consumed))),
            JSONMember(key: "lines", value: .number(String(lines))),
            JSONMember(key: "hash", value: .string(String(hash, radix: 16))),
        ])
        if let pendingLine { object.members.append(JSONMember(key: "pendingLine", value: .number(String(pendingLine)))) }
        if !resolved.isEmpty { object.members.append(JSONMember(key: "resolved", value: .array(resolved.map { .number(String($0)) }))) }
        return JSONWriter.bytes(of: object)
    }

    package init(json value: JSONValue, context: String) throws {
        func bad(_ what: String) -> FormatError { .damaged("\(context): \(what)") }
        guard let o = value.objectValue, let key = o["key"]?.stringValue, let path = o["path"]?.stringValue,
              let hashText = o["hash"]?.stringValue, let hash = UInt64(hashText, radix: 16) else { throw bad("not a source entry") }
        func int(_ name: String) throws -> Int {
            guard case .number(let t) = o[name], let v = Int(t) else { throw bad("source \(key) has no \(name)") }
            return v
        }
        self.key = key
        self.path = path
        size = try int("size")
        modified = Int64(try int("modified"))
        consumed = try int("consumed")
        lines = try int("lines")
        self.hash = hash
        if case .number(let t) = o["pendingLine"] { pendingLine = Int(t) }
        if case .array(let list) = o["resolved"] {
            resolved = list.compactMap { if case .number(let t) = $0 { return Int(t) }; return nil }
        }
    }

    package init(key: String, path: String, size: Int, modified: Int64, consumed: Int, lines: Int, hash: UInt64,
                pendingLine: Int? = nil, resolved: [Int] = []) {
        self.key = key
        self.path = path
        self.size = size
        self.modified = modified
        self.consumed = consumed
        self.lines = lines
        self.hash = hash
        self.pendingLine = pendingLine
        self.resolved = resolved
    }
}
