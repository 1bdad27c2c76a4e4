/// One log record: the JSON object exactly as it was read, plus what the
/// archive derives from it (its time, and where it came from).
///
/// Records come from an archive through `RecordBatch.record(row:)` (in SMSArchive). Their
/// ``object`` is the input line's JSON object, equal to it as a JSON value: same members in
/// the same order, same number text, same strings.
///
/// ```swift
/// try archive.scan { batch, row in
///     let record = try batch.record(row: row)
///     print(record.time.iso8601, record.category ?? "unknown category")
///     if let result = record.object["resultType"]?.stringValue { print(result) }
///     print(String(decoding: JSONWriter.bytes(of: record.object), as: UTF8.self))
///     return true
/// }
/// ```
public struct Record: Sendable, Equatable {
    /// The record's JSON object, in the shape it was read: the storage shape (camelCase fields, the
    /// rest under `properties`) or the flat PascalCase shape of Log Analytics.
    public var object: JSONObject
    /// The record's time, parsed from its `time`, `TimeGenerated` or `timestamp` field.
    public var time: Timestamp
    /// The log category (such as `SMSOperational` or `Usage`): the record's own `category` field,
    /// else the one its table or its blob's path names; `nil` when unknown.
    public var category: String?
    /// The Azure resource ID: the record's own `resourceId` (or `_ResourceId`), else the one in the
    /// blob's path; `nil` when unknown.
    public var resourceId: String?

    /// A record of the given parts; nothing is checked or derived.
    ///
    /// - Parameters:
    ///   - object: The record's JSON object.
    ///   - time: The record's time.
    ///   - category: The log category, or `nil` when unknown.
    ///   - resourceId: The Azure resource ID, or `nil` when unknown.
    public init(object: JSONObject, time: Timestamp, category: String? = nil, resourceId: String? = nil) {
        self.object = object
        self.time = time
        self.category = category
        self.resourceId = resourceId
    }
}

/// Why a line was not taken as a record.
///
/// The raw value is the reason's name as the archive stores it and `smsarchive rejects` prints
/// it, such as `invalid-json`.
public enum RejectReason: String, Sendable, CaseIterable, Codable {
    /// The blob's last line ends mid-value: the blob is still being appended to, or was cut.
    case truncated
    /// The line is not valid UTF-8.
    case invalidUTF8 = "invalid-utf8"
    /// The line is not valid JSON.
    case invalidJSON = "invalid-json"
    /// Arrays or objects nest deeper than the parser allows (512 levels).
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
///
/// A conversion reports rejects as it meets them and keeps them in the archive, where
/// `ArchiveReader.rejects()` (in SMSArchive) reads them back.
public struct Reject: Sendable, Equatable {
    /// The blob's path as it was given (or `-` for standard input).
    public var source: String
    /// The 1-based line number in the decompressed blob.
    public var line: Int
    /// Why the line was not taken as a record.
    public var reason: RejectReason
    /// A human-readable explanation, for example the JSON error and its column.
    public var detail: String
    /// The line as read, without its line terminator: any bytes, not necessarily UTF-8 (empty for
    /// ``RejectReason/corruptInput`` at the end of a stream).
    public var bytes: [UInt8]

    /// A reject of the given parts.
    ///
    /// - Parameters:
    ///   - source: The blob's path, or `-` for standard input.
    ///   - line: The 1-based line number in the decompressed blob.
    ///   - reason: Why the line was not taken as a record.
    ///   - detail: A human-readable explanation.
    ///   - bytes: The line as read, without its line terminator.
    public init(source: String, line: Int, reason: RejectReason, detail: String, bytes: [UInt8]) {
        self.source = source
        self.line = line
        self.reason = reason
        self.detail = detail
        self.bytes = bytes
    }

    /// `FILE:LINE: reason: detail`, the form printed on stderr.
    public var diagnostic: String {
        "\(Self.printable(source)):\(line): \(reason.rawValue): \(Self.printable(detail))"
    }

    /// `text` with its control characters written as `\u00XX`: a detail quotes input, and a line end or
    /// terminal escape in it must not forge or recolour the lines a terminal or a log shows.
    static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let hex = String(scalar.value, radix: 16, uppercase: true)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
