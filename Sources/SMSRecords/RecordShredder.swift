import SMSSupport
/// Takes a parsed record apart into layout, columns and residual.
///
/// `LineShredder` does the same straight from a line's bytes for the common
/// shapes; this is the general way, for every record that one passes on.
package enum RecordShredder {
    package static func shred(_ record: Record) -> ShreddedRecord {
        var out = ShreddedRecordBuilder()
        var used: UInt64 = 0
        let members = record.object.members
        withOptionalUTF8(record.category) { category in
            withOptionalUTF8(record.resourceId) { resource in out.setEffective(category: category, resourceId: resource) }
        }

        func toResidual(_ member: JSONMember) {
            withUTF8(member.key) { key in out.residual(key: key) { JSONWriter.write(member.value, to: &$0) } }
        }

        func place(_ member: JSONMember) {
            guard let column = FieldSchema.column(named: member.key), used & (1 << UInt64(column)) == 0 else {
                return toResidual(member)
            }
            let isEffective = FieldSchema.isEffective(column)
            var placed = true
            withUTF8(member.key) { key in
                switch (FieldSchema.columns[column].type, member.value) {
                case (.string, .string(let s)):
                    // category and resourceId columns hold the effective value; the member must be that value.
                    if isEffective {
                        let effective = column == FieldSchema.category ? record.category : record.resourceId
                        guard let effective, s.isIdentical(to: effective) else { placed = false; return }
                        out.column(RecordLayout.opColumn, column, key: key, string: nil)
                    } else {
                        withUTF8(s) { out.column(RecordLayout.opColumn, column, key: key, string: $0) }
                    }
                case (.integer, .number(let text)):
                    guard let v = canonicalInteger(text) else { placed = false; return }
                    out.column(RecordLayout.opColumn, column, key: key, integer: v)
                case (.integer, .string(let text)):
                    // Type drift: `"durationMs":"78"`. Stored as the integer, written back quoted.
                    guard let v = canonicalInteger(text) else { placed = false; return }
                    out.column(RecordLayout.opQuotedInteger, column, key: key, integer: v)
                case (.string, .number(let text)) where !isEffective:
                    // Type drift: `"level":4`. Stored as the number's text, written back bare.
                    withUTF8(text) { out.column(RecordLayout.opNumberText, column, key: key, string: $0) }
                default:
                    placed = false
                }
            }
            guard placed else { return toResidual(member) }
            used |= 1 << UInt64(column)
        }

        let timeIndex = timeMemberIndex(members)
        var sawProperties = false
        for (i, member) in members.enumerated() {
            if i == timeIndex {
                if case .string(let text) = member.value, let format = TimeFormat.exact(of: text, ticks: record.time.ticks) {
                    withUTF8(member.key) { out.time(key: $0, format: format) }
                } else {
                    toResidual(member)
                }
                continue
            }
            if !sawProperties, asciiCaseInsensitiveEquals(member.key, FieldSchema.propertiesKey) {
                var nested: JSONObject?
                var op = RecordLayout.opObjectStart
                if case .object(let object) = member.value {
                    nested = object
                } else if case .string(let text) = member.value, let object = escapedObject(text) {
                    nested = object
                    op = RecordLayout.opEscapedObjectStart
                }
                if let nested {
                    sawProperties = true
                    withUTF8(member.key) { out.objectStart(op, key: $0) }
                    for inner in nested.members { place(inner) }
                    out.objectEnd()
                    continue
                }
            }
            place(member)
        }
        return out.finish(time: record.time)
    }

    /// The object that `text` holds as compact JSON, when writing the object back
    /// gives `text` exactly (type drift: `properties` escaped into a string).
    package static func escapedObject(_ text: String) -> JSONObject? {
        let bytes = Array(text.utf8)
        guard bytes.first == UInt8(ascii: "{"),
              case .object(let object)? = try? JSONParser.parseDocument(bytes, maxDepth: JSONParser.defaultMaxDepth) else { return nil }
        var written: [UInt8] = []
        JSONWriter.write(.object(object), to: &written)
        return written == bytes ? object : nil
    }

    /// The index of the member `RecordBuilder` took the time from.
    package static func timeMemberIndex(_ members: [JSONMember]) -> Int? {
        for name in KnownFields.time {
            if let i = members.firstIndex(where: { asciiCaseInsensitiveEquals($0.key, name) }) { return i }
        }
        return nil
    }

    /// The value of `text` if writing it back as an integer gives `text` exactly.
    package static func canonicalInteger(_ text: String) -> Int64? {
        withUTF8(text) { canonicalInteger(utf8: $0) }
    }

    /// The value of the UTF-8 text if writing it back as an integer gives it exactly:
    /// an optional `-`, then digits without a leading zero (or `0` alone), at most 18 characters.
    package static func canonicalInteger(utf8: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard utf8.count <= 18, let first = utf8.first else { return nil }
        let negative = first == UInt8(ascii: "-")
        let digitsStart = negative ? 1 : 0
        guard digitsStart < utf8.count else { return nil }
        if utf8[digitsStart] == UInt8(ascii: "0") { return !negative && utf8.count == 1 ? 0 : nil }
        var v: Int64 = 0
        for i in digitsStart..<utf8.count {
            let d = utf8[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
        }
        return negative ? -v : v
    }
}
