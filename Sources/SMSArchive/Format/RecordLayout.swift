/// A record's layout: which members it has, in which order, with which key
/// spelling, and where each value is stored. Records of one export share a
/// handful of layouts, so a layout is stored once per segment and each row
/// holds only its id.
///
/// A layout is a token sequence (see `man/smsarchive-format.5`):
/// - `column(c, key)`: a member whose value is the row's next value of column c;
/// - `time(key, format)`: the time member, rebuilt from the row's ticks;
/// - `objectStart(key)` … `objectEnd`: the `properties` object;
/// - `residual`: the row's next residual member (anything outside the schema).
///
/// Version 3 adds tokens for values written with another JSON type than their
/// column's (type drift), so that they still reach the typed columns:
/// - `quotedInteger(c, key)`: an integer column's value written as a string (`"78"`);
/// - `numberText(c, key)`: a string column's value written as a bare number (`4`);
/// - `escapedObjectStart(key)` … `objectEnd`: `properties` written as a string holding the object's compact JSON;
/// - `time` with a US-form `TimeFormat`.
public struct RecordLayout: Hashable, Sendable {
    public enum Token: Hashable, Sendable {
        case column(Int, key: String)
        case quotedInteger(Int, key: String)
        case numberText(Int, key: String)
        case time(key: String, format: TimeFormat)
        case objectStart(key: String)
        case escapedObjectStart(key: String)
        case objectEnd
        case residual

        /// Whether only version 3 and later can hold this token.
        var needsVersion3: Bool {
            switch self {
            case .quotedInteger, .numberText, .escapedObjectStart: return true
            case .time(_, let format): return format.us != nil
            default: return false
            }
        }
    }

    public var tokens: [Token]

    static let opColumn: UInt8 = 1, opTime: UInt8 = 2, opObjectStart: UInt8 = 3, opObjectEnd: UInt8 = 4, opResidual: UInt8 = 5
    static let opQuotedInteger: UInt8 = 6, opNumberText: UInt8 = 7, opEscapedObjectStart: UInt8 = 8, opTimeUS: UInt8 = 9

    /// The oldest segment version that can hold this layout.
    var minimumVersion: UInt32 { tokens.contains(where: \.needsVersion3) ? 3 : 2 }

    func encoded() -> [UInt8] {
        var w = ByteWriter()
        for token in tokens {
            switch token {
            case .column(let c, let key):
                w.byte(Self.opColumn); w.varint(c); w.string(key)
            case .quotedInteger(let c, let key):
                w.byte(Self.opQuotedInteger); w.varint(c); w.string(key)
            case .numberText(let c, let key):
                w.byte(Self.opNumberText); w.varint(c); w.string(key)
            case .time(let key, let f) where f.us != nil:
                w.byte(Self.opTimeUS); w.string(key); w.byte(f.fractionDigits); w.byte(f.us!.rawValue)
            case .time(let key, let f):
                w.byte(Self.opTime); w.string(key)
                w.byte(f.fractionDigits); w.byte(f.separator); w.byte(f.zone); w.signedVarint(Int64(f.offsetMinutes))
            case .objectStart(let key):
                w.byte(Self.opObjectStart); w.string(key)
            case .escapedObjectStart(let key):
                w.byte(Self.opEscapedObjectStart); w.string(key)
            case .objectEnd:
                w.byte(Self.opObjectEnd)
            case .residual:
                w.byte(Self.opResidual)
            }
        }
        return w.bytes
    }

    /// Reads a layout of a segment of format `version`: tokens 6 to 9 exist from version 3 on.
    static func decode(_ bytes: [UInt8], columnCount: Int, version: UInt32, context: String) throws(FormatError) -> RecordLayout {
        var r = ByteReader(bytes, context: context)
        var tokens: [Token] = []
        var depth = 0
        func column(_ type: ColumnType) throws(FormatError) -> Int {
            let c = try r.count(limit: columnCount - 1)
            guard c > FieldSchema.residual, c != FieldSchema.combined else { throw r.damaged("column token for column \(c)") }
            guard FieldSchema.columns[c].type == type else { throw r.damaged("token for column \(c) of the wrong type") }
            return c
        }
        while !r.isAtEnd {
            let op = try r.byte()
            guard op < opQuotedInteger || version >= 3 else { throw r.damaged("layout token \(op) in a version-\(version) segment") }
            switch op {
            case opColumn:
                let c = try r.count(limit: columnCount - 1)
                guard c > FieldSchema.residual, c != FieldSchema.combined else { throw r.damaged("column token for column \(c)") }
                tokens.append(.column(c, key: try r.string()))
            case opQuotedInteger:
                tokens.append(.quotedInteger(try column(.integer), key: try r.string()))
            case opNumberText:
                let c = try column(.string)
                guard c != FieldSchema.category && c != FieldSchema.resourceId else { throw r.damaged("number token for column \(c)") }
                tokens.append(.numberText(c, key: try r.string()))
            case opTimeUS:
                let key = try r.string()
                let digits = try r.byte(), style = TimeFormat.USStyle(rawValue: try r.byte())
                guard digits <= 9, TimeFormat.USStyle.all.isSuperset(of: style) else { throw r.damaged("bad US time format") }
                tokens.append(.time(key: key, format: TimeFormat(fractionDigits: digits, separator: 0x20, zone: 0, offsetMinutes: 0, us: style)))
            case opEscapedObjectStart:
                depth += 1
                guard depth == 1 else { throw r.damaged("nested object tokens") }
                tokens.append(.escapedObjectStart(key: try r.string()))
            case opTime:
                let key = try r.string()
                let digits = try r.byte(), separator = try r.byte(), zone = try r.byte()
                let offset = try r.signedVarint()
                guard digits <= 9, zone <= 3, abs(offset) < 24 * 60, zone == 3 || offset == 0,
                      separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else {
                    throw r.damaged("bad time format")
                }
                tokens.append(.time(key: key, format: TimeFormat(fractionDigits: digits, separator: separator, zone: zone, offsetMinutes: Int16(offset))))
            case opObjectStart:
                depth += 1
                guard depth == 1 else { throw r.damaged("nested object tokens") }
                tokens.append(.objectStart(key: try r.string()))
            case opObjectEnd:
                depth -= 1
                guard depth == 0 else { throw r.damaged("unbalanced object end") }
                tokens.append(.objectEnd)
            case opResidual:
                tokens.append(.residual)
            default:
                throw r.damaged("unknown layout token \(op)")
            }
        }
        guard depth == 0 else { throw r.damaged("unclosed object") }
        return RecordLayout(tokens: tokens)
    }
}

/// A record taken apart: its layout, its column values in layout order, its
/// residual members, and what decides where it is stored. The JSON tree is not
/// kept, so that it is freed on the thread that took the record apart.
struct ShreddedRecord {
    enum Value {
        case string(String)
        case integer(Int64)
    }

    var layout: RecordLayout
    /// `layout.encoded()`, made where the record is taken apart (the reading thread).
    var layoutKey: [UInt8]
    /// Values of `column` tokens other than category and resource ID, in token order.
    var values: [(column: Int, value: Value)]
    /// Members outside the schema as the JSON text `[["key",value],...]`, or nil.
    var residual: [UInt8]?
    var time: Timestamp
    var category: String?
    var resourceId: String?
}

/// Takes records apart into layout, columns and residual.
enum RecordShredder {
    static func shred(_ record: Record) -> ShreddedRecord {
        var tokens: [RecordLayout.Token] = []
        var values: [(column: Int, value: ShreddedRecord.Value)] = []
        var residual: [UInt8] = []
        var used: UInt64 = 0
        let members = record.object.members

        func toResidual(_ member: JSONMember) {
            tokens.append(.residual)
            residual.append(residual.isEmpty ? UInt8(ascii: "[") : UInt8(ascii: ","))
            residual.append(UInt8(ascii: "["))
            JSONWriter.writeString(member.key, to: &residual)
            residual.append(UInt8(ascii: ","))
            JSONWriter.write(member.value, to: &residual)
            residual.append(UInt8(ascii: "]"))
        }

        func place(_ member: JSONMember) {
            guard let column = FieldSchema.column(named: member.key), used & (1 << UInt64(column)) == 0 else {
                return toResidual(member)
            }
            let isEffective = column == FieldSchema.category || column == FieldSchema.resourceId
            let token: RecordLayout.Token
            switch (FieldSchema.columns[column].type, member.value) {
            case (.string, .string(let s)):
                // category and resourceId columns hold the effective value; the member must be that value.
                if isEffective {
                    let effective = column == FieldSchema.category ? record.category : record.resourceId
                    guard let effective, s.isIdentical(to: effective) else { return toResidual(member) }
                } else {
                    values.append((column, .string(s)))
                }
                token = .column(column, key: member.key)
            case (.integer, .number(let text)):
                guard let v = canonicalInteger(text) else { return toResidual(member) }
                values.append((column, .integer(v)))
                token = .column(column, key: member.key)
            case (.integer, .string(let text)):
                // Type drift: `"durationMs":"78"`. Stored as the integer, written back quoted.
                guard let v = canonicalInteger(text) else { return toResidual(member) }
                values.append((column, .integer(v)))
                token = .quotedInteger(column, key: member.key)
            case (.string, .number(let text)) where !isEffective:
                // Type drift: `"level":4`. Stored as the number's text, written back bare.
                values.append((column, .string(text)))
                token = .numberText(column, key: member.key)
            default:
                return toResidual(member)
            }
            used |= 1 << UInt64(column)
            tokens.append(token)
        }

        let timeIndex = timeMemberIndex(members)
        var sawProperties = false
        for (i, member) in members.enumerated() {
            if i == timeIndex {
                if case .string(let text) = member.value, let format = TimeFormat.exact(of: text, ticks: record.time.ticks) {
                    tokens.append(.time(key: member.key, format: format))
                } else {
                    toResidual(member)
                }
                continue
            }
            if !sawProperties, asciiCaseInsensitiveEquals(member.key, FieldSchema.propertiesKey) {
                if case .object(let nested) = member.value {
                    sawProperties = true
                    tokens.append(.objectStart(key: member.key))
                    for inner in nested.members { place(inner) }
                    tokens.append(.objectEnd)
                    continue
                }
                if case .string(let text) = member.value, let nested = escapedObject(text) {
                    sawProperties = true
                    tokens.append(.escapedObjectStart(key: member.key))
                    for inner in nested.members { place(inner) }
                    tokens.append(.objectEnd)
                    continue
                }
            }
            place(member)
        }
        if !residual.isEmpty { residual.append(UInt8(ascii: "]")) }
        let layout = RecordLayout(tokens: tokens)
        return ShreddedRecord(layout: layout, layoutKey: layout.encoded(), values: values, residual: residual.isEmpty ? nil : residual,
                              time: record.time, category: record.category, resourceId: record.resourceId)
    }

    /// The object that `text` holds as compact JSON, when writing the object back
    /// gives `text` exactly (type drift: `properties` escaped into a string).
    static func escapedObject(_ text: String) -> JSONObject? {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "{"),
              case .object(let object)? = try? JSONParser.parseDocument(bytes, maxDepth: JSONParser.defaultMaxDepth) else { return nil }
        var written: [UInt8] = []
        JSONWriter.write(.object(object), to: &written)
        return written == bytes ? object : nil
    }

    /// The index of the member `RecordBuilder` took the time from.
    static func timeMemberIndex(_ members: [JSONMember]) -> Int? {
        for name in KnownFields.time {
            if let i = members.firstIndex(where: { asciiCaseInsensitiveEquals($0.key, name) }) { return i }
        }
        return nil
    }

    /// The value of `text` if writing it back as an integer gives `text` exactly.
    static func canonicalInteger(_ text: String) -> Int64? {
        let utf8 = text.utf8
        guard utf8.count <= 18, let first = utf8.first else { return nil }
        if first == UInt8(ascii: "0") { return utf8.count == 1 ? 0 : nil }
        if first == UInt8(ascii: "-") {
            guard utf8.count >= 2, utf8.dropFirst().first != UInt8(ascii: "0") else { return nil }
        }
        guard let v = Int64(text) else { return nil }
        return v
    }
}
