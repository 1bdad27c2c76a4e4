import SMSSupport
import SMSFormat
import SMSRecords

/// The archive's table of contents, `manifest.json`: which segment files
/// make up the archive. It is replaced atomically, so an archive is always
/// exactly the segments of one complete manifest.
package struct Manifest: Sendable, Equatable {
    package static let fileName = "manifest.json"
    /// The manifest versions this build reads.
    package static let readableVersions = 1...1
    package static let currentVersion = 1

    package var version = Manifest.currentVersion
    /// The sequence number the next segment gets.
    package var nextSequence = 1
    package var segments: [SegmentEntry] = []
    /// Files under `sources/` recording how far each source blob was read (see `SourceLedger`).
    package var sourceFiles: [String] = []

    package init() {}

    package var recordCount: Int { segments.reduce(0) { $0 + $1.records } }
    package var rejectCount: Int { segments.reduce(0) { $0 + $1.rejects } }

    /// The first segment file named by more than one entry, if any: that is damage.
    package var segmentListedTwice: String? {
        var seen = Set<String>()
        return segments.first { !seen.insert($0.file).inserted }?.file
    }

    package func encoded() -> [UInt8] {
        var out = Array("{\"format\":\"smsarchive\",\"version\":\(version),\"nextSequence\":\(nextSequence),\"segments\":[".utf8)
        for (i, s) in segments.enumerated() {
            out.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8)
            var object = JSONObject([
                JSONMember(key: "file", value: .string(s.file)),
                JSONMember(key: "records", value: .number(String(s.records))),
                JSONMember(key: "rejects", value: .number(String(s.rejects))),
                JSONMember(key: "bytes", value: .number(String(s.bytes))),
            ])
            if let minTime = s.minTime, let maxTime = s.maxTime {
                object.members.append(JSONMember(key: "minTime", value: .string(minTime.iso8601)))
                object.members.append(JSONMember(key: "maxTime", value: .string(maxTime.iso8601)))
                // Ticks are what readers use: the text is for people, and years past 9999 have none.
                object.members.append(JSONMember(key: "minTicks", value: .number(String(minTime.ticks))))
                object.members.append(JSONMember(key: "maxTicks", value: .number(String(maxTime.ticks))))
            }
            if !s.categories.isEmpty {
                object.members.append(JSONMember(key: "categories", value: .array(s.categories.map { .string($0) })))
            }
            JSONWriter.write(.object(object), to: &out)
        }
        out.append(contentsOf: "\n],\"sources\":".utf8)
        JSONWriter.write(.array(sourceFiles.map { .string($0) }), to: &out)
        out.append(contentsOf: "}\n".utf8)
        return out
    }

    package static func decode(_ bytes: [UInt8], path: String) throws -> Manifest {
        func bad(_ what: String) -> FormatError { .damaged("\(path): \(what)") }
        let value: JSONValue
        do { value = try JSONParser.parseDocument(bytes) } catch { throw bad("not valid JSON (\(error.message))") }
        guard let root = value.objectValue, root["format"]?.stringValue == "smsarchive" else {
            throw bad("not an smsarchive manifest")
        }
        guard case .number(let versionText) = root["version"], let version = Int(versionText) else { throw bad("no version") }
        guard readableVersions.contains(version) else {
            throw FormatError.unsupportedVersion("\(path): manifest version \(version); this build reads \(readableVersions)")
        }
        var manifest = Manifest()
        manifest.version = version
        guard case .number(let next) = root["nextSequence"], let nextSequence = Int(next) else { throw bad("no nextSequence") }
        manifest.nextSequence = nextSequence
        guard case .array(let entries) = root["segments"] else { throw bad("no segments list") }
        for entry in entries {
            guard let o = entry.objectValue, let file = o["file"]?.stringValue else { throw bad("a segment entry has no file") }
            func int(_ key: String) throws -> Int {
                guard case .number(let t) = o[key], let v = Int(t) else { throw bad("segment \(file) has no \(key)") }
                return v
            }
            func ticks(_ key: String) -> Timestamp? {
                if case .number(let t) = o[key], let v = Int64(t) { return Timestamp(ticks: v) }
                return nil
            }
            let minTime = ticks("minTicks") ?? o["minTime"]?.stringValue.flatMap(Timestamp.init(iso8601:))
            let maxTime = ticks("maxTicks") ?? o["maxTime"]?.stringValue.flatMap(Timestamp.init(iso8601:))
            guard isInside(file, folder: "segments/") else { throw bad("segment file '\(file)' is outside segments/") }
            var categories: [String] = []
            if case .array(let list) = o["categories"] { categories = list.compactMap(\.stringValue) }
            manifest.segments.append(SegmentEntry(file: file, records: try int("records"), rejects: try int("rejects"),
                                                  bytes: try int("bytes"), minTime: minTime, maxTime: maxTime, categories: categories))
        }
        if case .array(let files) = root["sources"] { manifest.sourceFiles = files.compactMap(\.stringValue) }
        for file in manifest.sourceFiles where !isInside(file, folder: "sources/") {
            throw bad("source-state file '\(file)' is outside sources/")
        }
        return manifest
    }
}

/// One segment file of the archive and what it holds.
package struct SegmentEntry: Sendable, Equatable {
    /// Path relative to the archive folder.
    package var file: String
    package var records: Int
    package var rejects: Int
    /// Size of the file in bytes.
    package var bytes: Int
    /// The earliest and latest record time (absent when the segment holds only rejects).
    package var minTime: Timestamp?
    package var maxTime: Timestamp?
    /// The distinct categories of its records ("" for unknown); empty in archives written before this was kept.
    package var categories: [String] = []
}

/// Whether `path` names a file under `folder` of the archive: checked on bytes, so no
/// `..` component (however spelled with combining marks) can lead out of it.
private func isInside(_ path: String, folder: String) -> Bool {
    guard path.utf8.starts(with: folder.utf8) else { return false }
    return !path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).contains { Array($0) == [0x2E, 0x2E] }
}
