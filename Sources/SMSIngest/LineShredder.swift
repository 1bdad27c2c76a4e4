import SMSRecords

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Takes a record apart straight from its line's bytes, without building a JSON
/// tree: the fast path of `convert`.
///
/// It handles the shapes real exports have: one object whose values are strings
/// without escapes, numbers and literals, and at most one nested object of such
/// values (`properties`). For anything else (escapes, arrays, deeper nesting,
/// invalid JSON or UTF-8, no usable time, `properties` escaped into a string)
/// it returns nil, and the line goes the general way: `JSONParser`,
/// `RecordBuilder`, `RecordShredder`. Both ways give the same `ShreddedRecord`
/// for every line this one takes; a test holds them to it.
package struct LineShredder {
    private enum Kind: UInt8 { case string, number, literal, object }

    /// A member's key and value as offsets into the line; a string's range
    /// excludes its quotes; an object's members are in `inner` (its range is unused).
    private struct Member {
        var keyStart: Int32, keyEnd: Int32
        var kind: Kind
        /// The key is the one cached at its position (found by comparing, not scanning).
        var keyIsCached = false
        var valueStart: Int32, valueEnd: Int32
    }

    private var top: [Member] = []
    /// Writes each record; kept from line to line for its buffers.
    private var builder = ShreddedRecordBuilder()
    /// The members of the one nested object (never nil; optional for `members(...)`).
    private var inner: [Member]? = []
    /// The key last seen at each member position (the first 64 top-level members, then the first
    /// 32 of `properties`), and its column: the lines of an export name their members in the same
    /// order, so a key equal to the last line's at its position is found by comparing it (no scan
    /// for its end) and skips the schema's hash lookup.
    ///
    /// Each position has a fixed slot of `cachedKeyWidth` bytes in one flat array (a longer key is
    /// looked up every time), so a hit reads no array of arrays and counts no references. A cached
    /// key came from a scanned one: it holds no quote, backslash or control character and is valid
    /// UTF-8, so the same bytes followed by a quote are what the scan would find.
    private var cachedKeyBytes = [UInt8](repeating: 0, count: cachedPositions * cachedKeyWidth)
    private var cachedKeys = [CachedKey](repeating: CachedKey(), count: cachedPositions)
    private static let cachedPositions = 96, nestedPositions = 64, cachedKeyWidth = 32

    /// The cache position of member `index` of the top-level object, or of `properties` when
    /// `nested`; `Int.max` (no position) past the positions cached.
    @inline(__always)
    private static func position(_ index: Int, nested: Bool) -> Int {
        nested ? (index < cachedPositions - nestedPositions ? nestedPositions + index : .max)
            : (index < nestedPositions ? index : .max)
    }

    /// The cache, read-only, while a line is tokenized.
    private struct CacheView {
        let keys: UnsafeBufferPointer<CachedKey>
        let bytes: UnsafePointer<UInt8>
    }

    /// The key cached at a position: its length (-1 for none), what the schema says of it, and which
    /// of the names `shredMembers` looks for it is.
    private struct CachedKey {
        var length: Int32 = -1
        /// -1 when the schema has no column of that name.
        var column: Int16 = -1
        var type: ColumnType = .residual
        /// The column is the effective category or resource ID.
        var isCategory = false, isResourceId = false
        /// 1 + the key's index in `roleNames` (ASCII case ignored), 0 when it is none of them.
        var role: UInt8 = 0

        init() {}

        /// What the schema and `roleNames` say of `key`.
        init(_ key: UnsafeBufferPointer<UInt8>) {
            length = Int32(key.count)
            if let index = LineShredder.roleNames.firstIndex(where: { key.count == $0.count && asciiCaseInsensitiveEquals(key, $0) }) {
                role = UInt8(index + 1)
            }
            guard let column = FieldSchema.column(utf8: key) else { return }
            self.column = Int16(column)
            type = FieldSchema.columns[column].type
            isCategory = column == FieldSchema.category
            isResourceId = column == FieldSchema.resourceId
        }
    }

    package init() {
        top.reserveCapacity(32)
        inner!.reserveCapacity(32)
    }

    /// The record on `line`, taken apart, or nil when the line needs the general way.
    package mutating func shred(_ line: UnsafeRawBufferPointer, path: BlobPath) -> ShreddedRecord? {
        // No separate UTF-8 pass: every byte of a line taken is in a string, whose UTF-8
        // `JSONStringScan` checks, or in an ASCII token matched byte by byte.
        guard let base = line.baseAddress?.assumingMemoryBound(to: UInt8.self) else { return nil }
        let p = UnsafeBufferPointer(start: base, count: line.count)
        top.removeAll(keepingCapacity: true)
        inner!.removeAll(keepingCapacity: true)
        guard tokenize(p) else { return nil }
        return shredMembers(p, path: path)
    }

    // MARK: - Tokenizing

    /// Splits `{ "key": value, ... }` into members. False on anything this fast path does not take.
    private mutating func tokenize(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let i = Self.skipWhitespace(p, 0)
        guard i < p.count, p[i] == UInt8(ascii: "{") else { return false }
        let end = cachedKeys.withUnsafeBufferPointer { keys in
            cachedKeyBytes.withUnsafeBufferPointer { bytes in
                Self.members(p, from: i + 1, into: &top, nested: &inner, cache: CacheView(keys: keys, bytes: bytes.baseAddress!))
            }
        }
        guard let end else { return false }
        return Self.skipWhitespace(p, end) == p.count
    }

    /// Reads members after an object's `{` up to its `}` into `list`, and the members of
    /// one nested object into `nested` (nil inside that object); the offset after the `}`.
    private static func members(_ p: UnsafeBufferPointer<UInt8>, from start: Int, into list: inout [Member],
                                nested: inout [Member]?, cache: CacheView) -> Int? {
        var i = skipWhitespace(p, start)
        guard i < p.count else { return nil }
        if p[i] == UInt8(ascii: "}") { return i + 1 }
        while true {
            guard i < p.count, p[i] == UInt8(ascii: "\"") else { return nil }
            let keyStart = i + 1
            var keyEnd = -1
            let position = Self.position(list.count, nested: nested == nil)
            if position < cachedPositions {
                let length = Int(cache.keys[position].length)
                if length >= 0, keyStart + length < p.count, p[keyStart + length] == UInt8(ascii: "\""),
                   shortBytesEqual(p.baseAddress! + keyStart, cache.bytes + position * cachedKeyWidth, count: length) {
                    keyEnd = keyStart + length
                }
            }
            let keyIsCached = keyEnd >= 0
            if !keyIsCached {
                guard let end = stringEnd(p, keyStart) else { return nil }
                keyEnd = end
            }
            i = skipWhitespace(p, keyEnd + 1)
            guard i < p.count, p[i] == UInt8(ascii: ":") else { return nil }
            i = skipWhitespace(p, i + 1)
            guard i < p.count else { return nil }
            var member = Member(keyStart: Int32(keyStart), keyEnd: Int32(keyEnd), kind: .string, keyIsCached: keyIsCached,
                                valueStart: Int32(i), valueEnd: 0)
            switch p[i] {
            case UInt8(ascii: "\""):
                guard let end = stringEnd(p, i + 1) else { return nil }
                member.valueStart = Int32(i + 1)
                member.valueEnd = Int32(end)
                i = end + 1
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard let end = numberEnd(p, i) else { return nil }
                member.kind = .number
                member.valueEnd = Int32(end)
                i = end
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                guard let end = literalEnd(p, i) else { return nil }
                member.kind = .literal
                member.valueEnd = Int32(end)
                i = end
            case UInt8(ascii: "{"):
                // One nested object of scalars (the `properties` object), no more.
                guard nested != nil, nested!.isEmpty else { return nil }
                var none: [Member]? = nil
                guard let end = members(p, from: i + 1, into: &nested!, nested: &none, cache: cache) else { return nil }
                member.kind = .object
                i = end
            default:
                return nil
            }
            list.append(member)
            i = skipWhitespace(p, i)
            guard i < p.count else { return nil }
            if p[i] == UInt8(ascii: "}") { return i + 1 }
            guard p[i] == UInt8(ascii: ",") else { return nil }
            i = skipWhitespace(p, i + 1)
        }
    }

    @inline(__always)
    private static func skipWhitespace(_ p: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        var i = start
        while i < p.count, isJSONWhitespace(p[i]) { i += 1 }
        return i
    }

    /// The offset of the closing quote of a string whose text starts at `start`;
    /// nil at an escape, a control character, invalid UTF-8 (the general way handles those) or the end.
    @inline(__always)
    private static func stringEnd(_ p: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        JSONStringScan.end(p, from: start)
    }

    /// The end of a number starting at `start`, following RFC 8259's grammar exactly:
    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    private static func numberEnd(_ p: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        var i = start
        func digits() -> Bool {
            let first = i
            while i < p.count, p[i] &- 0x30 < 10 { i += 1 }
            return i > first
        }
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard i < p.count else { return nil }
        if p[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            guard digits() else { return nil }
        }
        if i < p.count, p[i] == UInt8(ascii: ".") {
            i += 1
            guard digits() else { return nil }
        }
        if i < p.count, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < p.count, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard digits() else { return nil }
        }
        // What follows must end the value, or the general parser decides what the line is.
        guard i < p.count, isJSONWhitespace(p[i]) || p[i] == UInt8(ascii: ",") || p[i] == UInt8(ascii: "}") else { return nil }
        return i
    }

    private static func literalEnd(_ p: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int? {
        for word in [trueWord, falseWord, nullWord] where start + word.count <= p.count {
            if bytesEqual(UnsafeBufferPointer(rebasing: p[start..<start + word.count]), word) { return start + word.count }
        }
        return nil
    }

    private static let trueWord = Array("true".utf8), falseWord = Array("false".utf8), nullWord = Array("null".utf8)

    // MARK: - Taking the record apart

    private static let timeNames = KnownFields.time.map { Array($0.lowercased().utf8) }
    private static let categoryName = Array(KnownFields.category.lowercased().utf8)
    private static let tableName = Array(KnownFields.table.lowercased().utf8)
    private static let resourceNames = KnownFields.resourceId.map { Array($0.lowercased().utf8) }
    private static let propertiesName = Array(FieldSchema.propertiesKey.lowercased().utf8)

    /// The names looked for among the top-level members, each key's `role` in the key cache: the
    /// time's names in their order of precedence, the category's, the workspace table's, the
    /// resource ID's, and `properties`.
    private static let roleNames = timeNames + [categoryName, tableName] + resourceNames + [propertiesName]
    private static let timeRoles = UInt8(1)...UInt8(timeNames.count)
    private static let categoryRole = UInt8(timeNames.count + 1), tableRole = categoryRole + 1
    private static let resourceRoles = (tableRole + 1)...(tableRole + UInt8(resourceNames.count))
    private static let propertiesRole = UInt8(roleNames.count)

    /// What `RecordBuilder.build` and `RecordShredder.shred` do, on the members found.
    private mutating func shredMembers(_ p: UnsafeBufferPointer<UInt8>, path: BlobPath) -> ShreddedRecord? {
        func key(_ m: Member) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: p[Int(m.keyStart)..<Int(m.keyEnd)]) }
        func value(_ m: Member) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: p[Int(m.valueStart)..<Int(m.valueEnd)]) }

        /// What the schema says of `m`'s key, from the position's cache when the key is the one cached there.
        func lookUp(_ m: Member, position: Int) -> CachedKey {
            let name = key(m)
            guard position < Self.cachedPositions, name.count <= Self.cachedKeyWidth else {
                return CachedKey(name)
            }
            if m.keyIsCached { return cachedKeys[position] }
            let cached = cachedKeys[position]
            let slot = position * Self.cachedKeyWidth
            if cached.length == Int32(name.count),
               name.isEmpty || cachedKeyBytes.withUnsafeBufferPointer({ shortBytesEqual(name.baseAddress!, $0.baseAddress! + slot, count: name.count) }) {
                return cached
            }
            cachedKeyBytes.withUnsafeMutableBufferPointer { slotBytes in
                for k in 0..<name.count { slotBytes[slot + k] = name[k] }
            }
            cachedKeys[position] = CachedKey(name)
            return cachedKeys[position]
        }

        // The members named as the time, category, table or resource ID: of several names, the first
        // present in `roleNames`' order; of several members of one name, the first (RecordBuilder's order).
        var timeIndex = -1, categoryIndex = -1, tableIndex = -1, resourceIndex = -1
        var timeRole = UInt8.max, resourceRole = UInt8.max
        for (i, m) in top.enumerated() {
            let role = lookUp(m, position: Self.position(i, nested: false)).role
            guard role != 0 else { continue }
            if Self.timeRoles.contains(role) {
                if role < timeRole { timeRole = role; timeIndex = i }
            } else if Self.resourceRoles.contains(role) {
                if role < resourceRole { resourceRole = role; resourceIndex = i }
            } else if role == Self.categoryRole {
                if categoryIndex < 0 { categoryIndex = i }
            } else if role == Self.tableRole {
                if tableIndex < 0 { tableIndex = i }
            }
        }

        // The time: a string.
        guard timeIndex >= 0, top[timeIndex].kind == .string else { return nil }
        let timeText = value(top[timeIndex])
        // Nearly every time is in the storage spelling, whose format needs no rebuilding to check.
        let ticks: Int64
        let timeFormat: TimeFormat?
        if let storageTicks = Timestamp.parseStorageForm(timeText) {
            ticks = storageTicks
            timeFormat = .storage
        } else {
            guard let parsed = Timestamp.parse(timeText, lenient: false) ?? USTime.ticks(timeText) else { return nil }
            ticks = parsed
            timeFormat = TimeFormat.exact(utf8: timeText, ticks: ticks)
        }

        // The effective category and resource ID: the record's own, else what the path (or the
        // workspace table in `Type`) says.
        // The builder of the line before, whose buffers are free again (the record it gave is gone):
        // reused, a line allocates nothing.
        var out = ShreddedRecordBuilder(reserving: false)
        swap(&out, &builder)
        defer { swap(&out, &builder) }
        out.reset()
        var category: UnsafeBufferPointer<UInt8>?
        var categoryFallback: [UInt8]?
        if categoryIndex >= 0, top[categoryIndex].kind == .string {
            category = value(top[categoryIndex])
        } else if tableIndex >= 0, top[tableIndex].kind == .string,
                  let fromTable = WorkspaceTables.category(ofTable: String(decoding: value(top[tableIndex]), as: UTF8.self)) {
            categoryFallback = Array(fromTable.utf8)
        } else {
            categoryFallback = path.category.map { Array($0.utf8) }
        }
        var resource: UnsafeBufferPointer<UInt8>?
        var resourceFallback: [UInt8]?
        if resourceIndex >= 0, top[resourceIndex].kind == .string {
            resource = value(top[resourceIndex])
        } else {
            resourceFallback = path.resourceId.map { Array($0.utf8) }
        }
        categoryFallback.withOptionalBuffer { fallbackCategory in
            resourceFallback.withOptionalBuffer { fallbackResource in
                out.setEffective(category: category ?? fallbackCategory, resourceId: resource ?? fallbackResource)
            }
        }
        /// Whether `v` is the effective value given by the line (`own`) or by the fallback.
        func isEffectiveValue(_ v: UnsafeBufferPointer<UInt8>, own: UnsafeBufferPointer<UInt8>?, fallback: [UInt8]?) -> Bool {
            if let own { return bytesEqual(own, v) }
            if let fallback { return fallback.withUnsafeBufferPointer { bytesEqual($0, v) } }
            return false
        }

        var used: UInt64 = 0
        var takesLine = true

        func toResidual(_ m: Member) {
            guard m.kind != .object else { takesLine = false; return }
            out.residual(key: key(m)) { text in
                if m.kind == .string { text.append(UInt8(ascii: "\"")) }
                text.append(contentsOf: value(m))
                if m.kind == .string { text.append(UInt8(ascii: "\"")) }
            }
        }

        // The token codes, read once per line rather than through their globals' accessors per member.
        let opColumn = RecordLayout.opColumn, opQuotedInteger = RecordLayout.opQuotedInteger, opNumberText = RecordLayout.opNumberText

        func place(_ m: Member, _ found: CachedKey) {
            let column = Int(found.column)
            guard column >= 0, used & (1 << UInt64(column)) == 0 else { return toResidual(m) }
            let isEffective = found.isCategory || found.isResourceId
            switch (found.type, m.kind) {
            case (.string, .string):
                if isEffective {
                    // These columns hold the effective value; the member must be that value.
                    let matches = found.isCategory
                        ? isEffectiveValue(value(m), own: category, fallback: categoryFallback)
                        : isEffectiveValue(value(m), own: resource, fallback: resourceFallback)
                    guard matches else { return toResidual(m) }
                    out.column(opColumn, column, key: key(m), string: nil)
                } else {
                    out.column(opColumn, column, key: key(m), string: value(m))
                }
            case (.integer, .number), (.integer, .string):
                guard let v = RecordShredder.canonicalInteger(utf8: value(m)) else { return toResidual(m) }
                out.column(m.kind == .number ? opColumn : opQuotedInteger, column, key: key(m), integer: v)
            case (.string, .number) where !isEffective:
                out.column(opNumberText, column, key: key(m), string: value(m))
            default:
                return toResidual(m)
            }
            used |= 1 << UInt64(column)
        }

        var sawProperties = false
        for (i, m) in top.enumerated() {
            if i == timeIndex {
                if let format = timeFormat {
                    out.time(key: key(m), format: format)
                } else {
                    toResidual(m)
                }
                continue
            }
            let found = lookUp(m, position: Self.position(i, nested: false))
            if !sawProperties, found.role == Self.propertiesRole {
                if m.kind == .object {
                    sawProperties = true
                    out.objectStart(RecordLayout.opObjectStart, key: key(m))
                    for (j, nested) in inner!.enumerated() { place(nested, lookUp(nested, position: Self.position(j, nested: true))) }
                    out.objectEnd()
                    continue
                }
                // `properties` escaped into a string: the general way takes it apart.
                if m.kind == .string, m.valueEnd > m.valueStart, p[Int(m.valueStart)] == UInt8(ascii: "{") { return nil }
            }
            place(m, found)
        }
        return takesLine ? out.record(time: Timestamp(ticks: ticks)) : nil
    }
}

extension Optional where Wrapped == [UInt8] {
    /// Calls `body` with the array's bytes, or nil.
    func withOptionalBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let array = self else { return body(nil) }
        return array.withUnsafeBufferPointer { body($0) }
    }
}

/// Whether two byte ranges hold the same bytes.
@inline(__always)
package func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    a.count == b.count && (a.count == 0 || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0)
}

/// Whether `count` bytes at `a` and `b` are equal: a word at a time, without a call, for keys.
@inline(__always)
private func shortBytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) { return false }
        i += 8
    }
    while i < count {
        if a[i] != b[i] { return false }
        i += 1
    }
    return true
}

@inline(__always)
package func bytesEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: [UInt8]) -> Bool {
    b.withUnsafeBufferPointer { bytesEqual(a, $0) }
}
