import SMSSupport

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
package struct RecordLayout: Hashable, Sendable {
    package enum Token: Hashable, Sendable {
        case column(Int, key: String)
        case quotedInteger(Int, key: String)
        case numberText(Int, key: String)
        case time(key: String, format: TimeFormat)
        case objectStart(key: String)
        case escapedObjectStart(key: String)
        case objectEnd
        case residual

        /// Whether only version 3 and later can hold this token.
        package var needsVersion3: Bool {
            switch self {
            case .quotedInteger, .numberText, .escapedObjectStart: return true
            case .time(_, let format): return format.us != nil
            default: return false
            }
        }
    }

    package var tokens: [Token]

    @usableFromInline package static let opColumn: UInt8 = 1, opTime: UInt8 = 2, opObjectStart: UInt8 = 3, opObjectEnd: UInt8 = 4, opResidual: UInt8 = 5
    @usableFromInline package static let opQuotedInteger: UInt8 = 6, opNumberText: UInt8 = 7, opEscapedObjectStart: UInt8 = 8, opTimeUS: UInt8 = 9

    /// The oldest segment version that can hold this layout.
    package var minimumVersion: UInt32 { tokens.contains(where: \.needsVersion3) ? SegmentVersion.typeDrift : SegmentVersion.columnar }

    package func encoded() -> [UInt8] {
        var w = ByteWriter()
        for token in tokens {
            switch token {
            case .column(let c, let key):
                Self.writeKeyed(Self.opColumn, column: c, key: key, to: &w)
            case .quotedInteger(let c, let key):
                Self.writeKeyed(Self.opQuotedInteger, column: c, key: key, to: &w)
            case .numberText(let c, let key):
                Self.writeKeyed(Self.opNumberText, column: c, key: key, to: &w)
            case .time(let key, let format):
                var key = key
                key.withUTF8 { Self.writeTime(key: $0, format: format, to: &w) }
            case .objectStart(let key):
                Self.writeKeyed(Self.opObjectStart, column: nil, key: key, to: &w)
            case .escapedObjectStart(let key):
                Self.writeKeyed(Self.opEscapedObjectStart, column: nil, key: key, to: &w)
            case .objectEnd:
                w.byte(Self.opObjectEnd)
            case .residual:
                w.byte(Self.opResidual)
            }
        }
        return w.bytes
    }

    private static func writeKeyed(_ op: UInt8, column: Int?, key: String, to w: inout ByteWriter) {
        var key = key
        key.withUTF8 { writeKeyed(op, column: column, key: $0, to: &w) }
    }

    /// Appends a token with a key (and a column for column tokens) in its encoded form.
    /// The fast ingest path writes layouts with this directly from the line's bytes.
    @inlinable package static func writeKeyed<Sink: LayoutByteSink>(_ op: UInt8, column: Int?, key: UnsafeBufferPointer<UInt8>, to w: inout Sink) {
        w.keyed(op, column: column, key: key)
    }

    /// Appends a time token in its encoded form.
    @inlinable package static func writeTime<Sink: LayoutByteSink>(key: UnsafeBufferPointer<UInt8>, format f: TimeFormat, to w: inout Sink) {
        if let us = f.us {
            w.byte(opTimeUS); w.lengthPrefixed(key); w.byte(f.fractionDigits); w.byte(us.rawValue)
        } else {
            w.byte(opTime); w.lengthPrefixed(key)
            w.byte(f.fractionDigits); w.byte(f.separator); w.byte(f.zone); w.signedVarint(Int64(f.offsetMinutes))
        }
    }

    /// Reads a layout of a segment of format `version`: tokens 6 to 9 exist from version 3 on.
    package static func decode(_ bytes: [UInt8], columnCount: Int, version: UInt32, context: String) throws(FormatError) -> RecordLayout {
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
            guard op < opQuotedInteger || version >= SegmentVersion.typeDrift else { throw r.damaged("layout token \(op) in a version-\(version) segment") }
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

