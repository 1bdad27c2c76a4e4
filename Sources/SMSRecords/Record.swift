/// One log record: the JSON object exactly as it was read, plus what the
/// archive derives from it (its time, and where it came from).
public struct Record: Sendable, Equatable {
    /// The record's JSON object, in the shape it was read (storage or flat).
    public var object: JSONObject
    /// The record's time, parsed from its `time` / `TimeGenerated` field.
    public var time: Timestamp
    /// The log category: the record's own `category` field, else the export container's.
    public var category: String?
    /// The Azure resource ID: the record's own `resourceId`, else the one in the blob's path.
    public var resourceId: String?

    public init(object: JSONObject, time: Timestamp, category: String? = nil, resourceId: String? = nil) {
        self.object = object
        self.time = time
        self.category = category
        self.resourceId = resourceId
    }
}

/// Why a line was not taken as a record.
public enum RejectReason: String, Sendable, CaseIterable, Codable {
    /// The blob's last line ends mid-value: the blob is still being appended to, or was cut.
    case truncated
    /// The line is not valid UTF-8.
    case invalidUTF8 = "invalid-utf8"
    /// The line is not valid JSON.
    case invalidJSON = "invalid-json"
    /// Arrays or objects nest deeper than the parser allows.
    case tooDeep = "too-deep"
    /// The line is valid JSON but not an object.
    case notObject = "not-object"
    /// The object has no `time`, `TimeGenerated` or `timestamp` field.
    case noTime = "no-time"
    /// The time field is not an ISO 8601 string.
    case badTime = "bad-time"
    /// The compressed stream is damaged from here on; what came before was kept.
    case corruptInput = "corrupt-input"
    /// The line is longer than the limit (`convert --max-line-bytes`, 16 MiB by default): only its
    /// first bytes are kept, with its length and XXH64 in the detail.
    case tooLong = "too-long"
}

/// A line (or the rest of a damaged blob) that is not a record, kept byte for byte.
public struct Reject: Sendable, Equatable {
    /// The blob's path as it was given (or `-` for standard input).
    public var source: String
    /// The 1-based line number in the decompressed blob.
    public var line: Int
    public var reason: RejectReason
    /// A human-readable explanation, for example the JSON error and its column.
    public var detail: String
    /// The line as read, without its line terminator.
    public var bytes: [UInt8]

    public init(source: String, line: Int, reason: RejectReason, detail: String, bytes: [UInt8]) {
        self.source = source
        self.line = line
        self.reason = reason
        self.detail = detail
        self.bytes = bytes
    }

    /// `FILE:LINE: reason: detail`, the form printed on stderr.
    public var diagnostic: String {
        "\(source):\(line): \(reason.rawValue): \(detail)"
    }
}
