import SMSSupport
import SMSRecords

/// Identifiers (MessageId, correlationId, RecordId) split by their structure,
/// with back-references to repeats: a delivery report repeats its send's
/// MessageId, a usage record its send's correlationId, seconds later.
///
/// Each value has a kind byte; the parts go to separate streams, so the random
/// parts are stored as raw bytes and the rest compresses well:
/// - 0 literal: the UTF-8 text (a varint length and bytes, in `literals`);
/// - 1 repeat: the value `distance` values back (a varint in `numbers`);
/// - 2 GUID, lowercase hex `8-4-4-4-12`: its 16 bytes go to `packed`;
/// - 3 GUID, uppercase hex: likewise;
/// - 4 MessageId: `<token><14-digit UTC stamp><lowercase GUID><token>`: prefix
///   token id and suffix token id (varints in `numbers`), the stamp as a zigzag
///   varint difference to the previous MessageId stamp (in `numbers`), the GUID to `packed`;
/// - 5 base64 id: 22 characters of the standard base64 alphabet and a token
///   (such as `.0`): its 132 bits go to `packed`, the token id to `numbers`;
/// - 6 MessageId as kind 4, but the stamp is a zigzag varint difference to the
///   stamp of its own row's time (`rowStamp`), nearly always 0: a send's MessageId
///   carries the second it was sent. Only in the `rowIdentifiers` form.
/// - 7 linked (version 5): the value of the row its row links to (`RowLinkEncoding`),
///   an earlier value of the chunk; nothing in `numbers`.
///
/// The `rowIdentifiers` form (version 4) also knows each value's row group (`Rows`):
/// its kinds stream holds the kinds group by group, so that a usage record's
/// repeated correlationId or a delivery report's repeated MessageId sits among
/// its like and costs next to nothing.
///
/// `packed` is a bit stream (least significant bit first): first every GUID in value
/// order, each a flag bit (1: a version-4 GUID, whose 4 version bits 0100 and 2 variant
/// bits 10 are left out, leaving 122 bits; 0: all 128 bits), the bytes in order, each
/// byte's bits from least significant; then every base64 id, its 16 bytes and then
/// its 4-bit tail. Random bits do not compress, so only what is not random is dropped.
///
/// Layout: varint token count, tokens (varint length, bytes); then four streams, each a varint
/// length and bytes: kinds, numbers, packed, literals.
package enum IdentifierEncoding {
    /// The kind byte of a value (see above).
    package enum Kind {
        package static let literal: UInt8 = 0
        package static let repeated: UInt8 = 1
        package static let lowercaseGUID: UInt8 = 2
        package static let uppercaseGUID: UInt8 = 3
        package static let messageId: UInt8 = 4
        package static let base64: UInt8 = 5
        /// A MessageId whose stamp is relative to its row's time (`rowIdentifiers` form only).
        package static let rowMessageId: UInt8 = 6
        /// The value of the row's linked row (version 5: the block stores its row links).
        package static let linked: UInt8 = 7
    }

    /// What the `rowIdentifiers` form knows of each value's row.
    package struct Rows {
        /// The row's time.
        package var times: [Int64]
        /// The row's group: values of one group have their kinds stored together.
        package var groups: [Int32]

        package init(times: [Int64], groups: [Int32]) {
            self.times = times
            self.groups = groups
        }
    }

    /// The `identifiers` form and, with `rows`, the `rowIdentifiers` form, each value parsed
    /// once for both. `repeats`: `repeatSources(values)`; `linked`: per value, the index of its
    /// row's linked value (`RowLinks.values`) when the block stores its links (version 5), else nil:
    /// a repeat of exactly that value is kind 7.
    package static func encodeForms(_ values: [String], repeats: [Int32], rows: Rows?, linked: [Int32]? = nil) -> (identifiers: [UInt8], rowIdentifiers: [UInt8]?) {
        let forms = encodeForms(TextColumn(values), repeats: repeats, rows: rows, linked: linked)
        return (forms.identifiers, forms.rowIdentifiers)
    }

    /// What `encodeForms` makes.
    package struct Forms {
        package var identifiers: [UInt8]
        package var rowIdentifiers: [UInt8]?
        /// How many values are stored as literals (kind 0).
        package var literals: Int
        /// With `rowIdentifiers`: what the two forms differ in, their kinds and numbers streams
        /// (the tokens, GUIDs, base64 ids and literals are the same), to compare them by.
        package var differing: (identifiers: [UInt8], rowIdentifiers: [UInt8])? = nil
    }

    /// `encodeForms` of values given as UTF-8.
    package static func encodeForms(_ column: TextColumn, repeats: [Int32], rows: Rows?, linked: [Int32]? = nil) -> Forms {
        let rowTimes = rows?.times
        // The forms differ only in MessageIds (kind 4 or 6, and their stamps in `numbers`)
        // and in the order of the kinds.
        var kinds: [UInt8] = []
        var numbers = ByteWriter()
        var rowNumbers = ByteWriter()
        var guids: [UInt8] = []
        var base64: [UInt8] = []
        var literals = ByteWriter()
        var literalCount = 0
        // Tokens hashed as bytes: a MessageId has two, and a `String` each was most of their cost.
        var tokens = ByteInterner()
        var previousStamp: Int64 = 0
        kinds.reserveCapacity(column.count)

        func token(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
            Int(tokens.id(bytes))
        }
        func number(_ n: Int) {
            numbers.varint(n)
            if rowTimes != nil { rowNumbers.varint(n) }
        }

        column.withValues { values in
            for index in 0..<values.count {
                let previous = repeats[index]
                if previous >= 0 {
                    if let linked, linked[index] == previous {
                        kinds.append(Kind.linked)
                        continue
                    }
                    kinds.append(Kind.repeated)
                    number(index - Int(previous))
                    continue
                }
                // The parts cut from the text are ASCII, so each piece is valid UTF-8 on its own.
                let utf8 = values[index]
                if utf8.count == 36, let uppercase = GUIDText.check(utf8) {
                    kinds.append(uppercase ? Kind.uppercaseGUID : Kind.lowercaseGUID)
                    GUIDText.appendBytes(of: utf8, to: &guids)
                } else if let m = MessageIdShape.parse(utf8) {
                    kinds.append(Kind.messageId)
                    number(token(UnsafeBufferPointer(rebasing: utf8[..<m.prefixLength])))
                    number(token(UnsafeBufferPointer(rebasing: utf8[(m.prefixLength + 50)...])))
                    if let rowTimes { rowNumbers.signedVarint(m.stamp &- rowStamp(rowTimes[index])) }
                    numbers.signedVarint(m.stamp &- previousStamp)
                    previousStamp = m.stamp
                    GUIDText.appendBytes(of: UnsafeBufferPointer(rebasing: utf8[m.prefixLength + 14..<m.prefixLength + 50]), to: &guids)
                } else if utf8.count >= 22, Base64Id.parse(UnsafeBufferPointer(rebasing: utf8[..<22]), appendingTo: &base64) {
                    kinds.append(Kind.base64)
                    number(token(UnsafeBufferPointer(rebasing: utf8[22...])))
                } else {
                    kinds.append(Kind.literal)
                    literals.lengthPrefixed(utf8)
                    literalCount += 1
                }
            }
        }
        let packed = PackedIdentifiers.pack(guids: guids, base64: base64)
        func form(kinds: [UInt8], numbers: [UInt8]) -> [UInt8] {
            var w = ByteWriter(capacity: kinds.count + numbers.count + packed.count + literals.count + 64)
            w.varint(tokens.count)
            for t in tokens.strings { w.string(t) }
            w.lengthPrefixed(kinds)
            w.lengthPrefixed(numbers)
            w.lengthPrefixed(packed)
            w.lengthPrefixed(literals.bytes)
            return w.bytes
        }
        let identifiers = form(kinds: kinds, numbers: numbers.bytes)
        guard let rows else { return Forms(identifiers: identifiers, rowIdentifiers: nil, literals: literalCount) }
        let rowKinds = groupOrder(rows.groups).map { kinds[Int($0)] == Kind.messageId ? Kind.rowMessageId : kinds[Int($0)] }
        return Forms(identifiers: identifiers, rowIdentifiers: form(kinds: rowKinds, numbers: rowNumbers.bytes), literals: literalCount,
                     differing: (kinds + numbers.bytes, rowKinds + rowNumbers.bytes))
    }

    /// Each row's group for the `rowIdentifiers` form: rows share a group when they have the
    /// same layout and the same tuple of the combined chunk (or no combined chunk). Groups are
    /// numbered in order of first appearance.
    package static func rowGroups(layoutIDs: [Int64], tupleIDs: [Int32]?) -> [Int32] {
        // Ids of a block are small: a flat table of (layout, tuple) keys, no hashing, when they fit one.
        let maxLayout = layoutIDs.max() ?? 0, maxTuple = tupleIDs?.max() ?? 0
        if layoutIDs.min() ?? 0 >= 0, (tupleIDs?.min() ?? 0) >= 0, maxLayout < 1 << 16, maxTuple < 1 << 16,
           (maxLayout + 1) * (Int64(maxTuple) + 1) <= 1 << 20 {
            let width = Int(maxTuple) + 1
            var table = [Int32](repeating: -1, count: (Int(maxLayout) + 1) * width)
            let tuples = tupleIDs ?? [Int32](repeating: 0, count: layoutIDs.count)
            guard tuples.count >= layoutIDs.count, !layoutIDs.isEmpty else { return [] }
            return [Int32](unsafeUninitializedCapacity: layoutIDs.count) { out, made in
                table.withUnsafeMutableBufferPointer { table in
                    var next: Int32 = 0
                    for row in layoutIDs.indices {
                        let key = Int(layoutIDs[row]) * width + Int(tuples[row])
                        if table[key] < 0 {
                            table[key] = next
                            next += 1
                        }
                        out[row] = table[key]
                    }
                }
                made = layoutIDs.count
            }
        }
        var ids: [Int64: Int32] = [:]
        return layoutIDs.indices.map { row in
            // Layout ids and tuple ids are below 2^31.
            let key = layoutIDs[row] << 32 | Int64(tupleIDs.map { $0[row] } ?? 0)
            if let id = ids[key] { return id }
            let id = Int32(ids.count)
            ids[key] = id
            return id
        }
    }

    /// The value indexes in the order their kinds are stored: group by group, groups in
    /// order of first appearance, values of a group in their order.
    package static func groupOrder(_ groups: [Int32]) -> [Int32] {
        // Groups numbered densely (as `rowGroups` numbers them): a counting sort, no hashing.
        if let low = groups.min(), low >= 0, let high = groups.max(), Int(high) <= groups.count {
            var rank = [Int32](repeating: -1, count: Int(high) + 1)
            var sizes: [Int] = []
            for g in groups {
                if rank[Int(g)] < 0 {
                    rank[Int(g)] = Int32(sizes.count)
                    sizes.append(0)
                }
                sizes[Int(rank[Int(g)])] += 1
            }
            var next = [Int](repeating: 0, count: sizes.count)
            var total = 0
            for (r, size) in sizes.enumerated() {
                next[r] = total
                total += size
            }
            var order = [Int32](repeating: 0, count: groups.count)
            for (i, g) in groups.enumerated() {
                let r = Int(rank[Int(g)])
                order[next[r]] = Int32(i)
                next[r] += 1
            }
            return order
        }
        var rank: [Int32: Int] = [:]
        var members: [[Int32]] = []
        for (i, g) in groups.enumerated() {
            if let r = rank[g] { members[r].append(Int32(i)); continue }
            rank[g] = members.count
            members.append([Int32(i)])
        }
        return members.flatMap { $0 }
    }

    /// For each value, the index of the latest earlier equal value (which the encoding
    /// stores as a repeat), or -1.
    package static func repeatSources(_ values: [String]) -> [Int32] {
        repeatSources(TextColumn(values))
    }

    /// `repeatSources` of values given as UTF-8: hashed as bytes (`fastHash`), compared byte for byte.
    package static func repeatSources(_ column: TextColumn) -> [Int32] {
        guard !column.isEmpty else { return [] }
        var index = HashSlots(expectedCount: column.count)
        // Per distinct value: where it first occurred (to compare with) and where it was last seen.
        var first: [Int32] = [], lastSeen: [Int32] = []
        return column.withValues { values in
            [Int32](unsafeUninitializedCapacity: values.count) { out, made in
                for i in 0..<values.count {
                    let value = values[i]
                    let hash = fastHash(value)
                    let found = index.find(hash) { values.same(Int(first[$0]), i) }
                    if let id = found.id {
                        out[i] = lastSeen[id]
                        lastSeen[id] = Int32(i)
                    } else {
                        _ = index.insert(hash, at: found.slot)
                        first.append(Int32(i))
                        lastSeen.append(Int32(i))
                        out[i] = -1
                    }
                }
                made = values.count
            }
        }
    }

    /// `rowStamp` with the calendar date worked out once per day: rows of a block share a few days.
    package struct RowStamps {
        private var day = Int64.min
        private var date: Int64 = 0

        package init() {}

        package mutating func of(_ ticks: Int64) -> Int64 {
            let (days, dayTicks) = ticks.quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay)
            if days != day {
                day = days
                let (y, m, d) = civilFromDays(days)
                date = (y &* 100 &+ m) &* 100 &+ d
            }
            let seconds = dayTicks / Timestamp.ticksPerSecond
            return date &* 1_000_000 &+ seconds / 3600 * 10_000 + seconds % 3600 / 60 * 100 + seconds % 60
        }
    }

    /// A row time's UTC second as the number `yyyyMMddHHmmss`, as MessageIds carry it.
    package static func rowStamp(_ ticks: Int64) -> Int64 {
        let (days, dayTicks) = ticks.quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay)
        let (y, m, d) = civilFromDays(days)
        let seconds = dayTicks / Timestamp.ticksPerSecond
        return ((y &* 100 &+ m) &* 100 &+ d) &* 1_000_000 &+ seconds / 3600 * 10_000 + seconds % 3600 / 60 * 100 + seconds % 60
    }

    /// `rows`: for the `rowIdentifiers` form, what is known of each value's row.
    /// `linked`: per value, the index of its row's linked value or -1 (version 5), else nil.
    /// The chunk's `repeatOf` tells, per value, which earlier value it repeats (kind 1 or 7), or -1.
    package static func decode(_ bytes: [UInt8], count: Int, rows: Rows? = nil, linked: [Int32]? = nil, context: String) throws(FormatError) -> StringChunk {
        var r = ByteReader(bytes, context: context)
        if let linked, linked.count != count { throw r.damaged("\(linked.count) links for \(count) values") }
        if let rows, rows.times.count != count || rows.groups.count != count {
            throw r.damaged("\(rows.times.count) row times and \(rows.groups.count) groups for \(count) values")
        }
        let rowTimes = rows?.times
        let tokenCount = try r.count(limit: r.remaining)
        var tokens: [String] = []
        for _ in 0..<tokenCount { tokens.append(try r.string()) }
        let stored = try r.lengthPrefixed()
        guard stored.count == count else { throw r.damaged("\(stored.count) kinds for \(count) values") }
        var kinds = Array(stored)
        if let rows {
            for (position, value) in groupOrder(rows.groups).enumerated() { kinds[Int(value)] = stored[stored.startIndex + position] }
        }
        var numbers = ByteReader(bytes, context: "\(context) numbers", range: try r.rangePrefixed())
        let packed = Array(try r.lengthPrefixed())
        var literals = ByteReader(bytes, context: "\(context) literals", range: try r.rangePrefixed())
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the streams") }

        func token() throws(FormatError) -> Int32 {
            let id = try numbers.count(limit: max(0, tokenCount - 1))
            guard id < tokenCount else { throw numbers.damaged("token \(id) of \(tokenCount)") }
            return Int32(id)
        }
        // Only the structure is decoded here; text is made when a value is asked for.
        var entries: [IdentifierEntry] = []
        entries.reserveCapacity(count)
        var repeatOf = [Int32](repeating: -1, count: count)
        var literalValues: [String] = []
        var guidCount: Int32 = 0, base64Count: Int32 = 0
        var previousStamp: Int64 = 0
        var stamps = RowStamps()
        for (index, kind) in kinds.enumerated() {
            var entry = IdentifierEntry(kind: kind)
            switch kind {
            case Kind.literal:
                entry.index = Int32(literalValues.count)
                literalValues.append(try literals.string())
            case Kind.repeated:
                let distance = try numbers.count(limit: index)
                guard distance > 0 else { throw numbers.damaged("repeat distance 0") }
                entry = entries[index - distance]
                repeatOf[index] = Int32(index - distance)
            case Kind.linked:
                guard let linked else { throw r.damaged("kind 7 before segment version 5") }
                let target = Int(linked[index])
                guard target >= 0, target < index else { throw r.damaged("kind 7 for value \(index), whose row links to no earlier value") }
                entry = entries[target]
                repeatOf[index] = Int32(target)
            case Kind.lowercaseGUID, Kind.uppercaseGUID:
                entry.index = guidCount
                guidCount += 1
            case Kind.messageId, Kind.rowMessageId:
                entry.kind = Kind.messageId
                entry.prefix = try token()
                entry.suffix = try token()
                let difference = try numbers.signedVarint()
                if kind == Kind.messageId {
                    previousStamp = previousStamp &+ difference
                    entry.stamp = previousStamp
                } else {
                    guard let rowTimes else { throw r.damaged("kind 6 outside the rowIdentifiers form") }
                    entry.stamp = stamps.of(rowTimes[index]) &+ difference
                }
                guard (0...99_999_999_999_999).contains(entry.stamp) else { throw numbers.damaged("MessageId stamp out of range") }
                entry.index = guidCount
                guidCount += 1
            case Kind.base64:
                entry.index = base64Count
                base64Count += 1
                entry.suffix = try token()
            default:
                throw r.damaged("unknown identifier kind \(kind)")
            }
            entries.append(entry)
        }
        guard numbers.isAtEnd, literals.isAtEnd else { throw r.damaged("streams longer than their values") }
        guard let (guids, base64) = PackedIdentifiers.unpack(packed, guids: Int(guidCount), base64: Int(base64Count)) else {
            throw r.damaged("the packed identifier bits do not match their values")
        }
        let literalsCopy = literalValues, entriesCopy = entries, tokensCopy = tokens
        var chunk = StringChunk(count: count, repeatOf: repeatOf) { i in
            let entries = entriesCopy, tokens = tokensCopy
            let e = entries[i]
            switch e.kind {
            case Kind.literal: return literalsCopy[Int(e.index)]
            case Kind.lowercaseGUID, Kind.uppercaseGUID:
                return GUIDText.format(guids[Int(e.index) * 16..<Int(e.index) * 16 + 16], uppercase: e.kind == Kind.uppercaseGUID)
            case Kind.messageId:
                let stamp = String(e.stamp)
                return tokens[Int(e.prefix)] + String(repeating: "0", count: 14 - stamp.count) + stamp
                    + GUIDText.format(guids[Int(e.index) * 16..<Int(e.index) * 16 + 16], uppercase: false) + tokens[Int(e.suffix)]
            default:
                return Base64Id.format(base64[Int(e.index) * 17..<Int(e.index) * 17 + 17])! + tokens[Int(e.suffix)]
            }
        }
        chunk.exactMatches = { values in
            // A value is stored by its shape, which its text alone decides: so a value equals a wanted
            // text exactly when both have the same kind and parts. Parts are compared as stored.
            let wanted = values.compactMap { WantedIdentifier($0, tokens: tokensCopy) }
            var matches = [Bool](repeating: false, count: entriesCopy.count)
            guard !wanted.isEmpty else { return matches }
            for (i, e) in entriesCopy.enumerated() {
                matches[i] = wanted.contains { w in
                    guard w.kind == e.kind else { return false }
                    let at = Int(e.index)
                    switch e.kind {
                    case Kind.literal: return literalsCopy[at].utf8.elementsEqual(w.literal.utf8)
                    case Kind.lowercaseGUID, Kind.uppercaseGUID: return guids[at * 16..<at * 16 + 16].elementsEqual(w.payload)
                    case Kind.messageId:
                        return e.stamp == w.stamp && e.prefix == w.prefix && e.suffix == w.suffix
                            && guids[at * 16..<at * 16 + 16].elementsEqual(w.payload)
                    default: return e.suffix == w.suffix && base64[at * 17..<at * 17 + 17].elementsEqual(w.payload)
                    }
                }
            }
            return matches
        }
        chunk.identifierParts = {
            IdentifierParts(tokens: tokensCopy, literals: literalsCopy, keys: entriesCopy.map { $0.key(guids: guids, base64: base64) })
        }
        return chunk
    }
}

/// A text looked for among a chunk's identifiers, taken apart as the encoder takes values apart.
private struct WantedIdentifier {
    var kind: UInt8
    var literal = ""
    /// GUID bytes (16) or base64 bytes (17).
    var payload: [UInt8] = []
    /// Token ids in the chunk's token list.
    var prefix: Int32 = 0
    var suffix: Int32 = 0
    var stamp: Int64 = 0

    private init(kind: UInt8, literal: String = "", payload: [UInt8] = [], prefix: Int32 = 0, suffix: Int32 = 0, stamp: Int64 = 0) {
        self.kind = kind
        self.literal = literal
        self.payload = payload
        self.prefix = prefix
        self.suffix = suffix
        self.stamp = stamp
    }

    /// Nil when no value of the chunk can equal `text`: it needs a token the chunk does not have.
    init?(_ text: String, tokens: [String]) {
        func tokenID(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
            tokens.firstIndex { $0.utf8.elementsEqual(bytes) }.map(Int32.init)
        }
        var result: WantedIdentifier?
        withUTF8(text) { utf8 in
            if utf8.count == 36, let uppercase = GUIDText.check(utf8) {
                var w = WantedIdentifier(kind: uppercase ? IdentifierEncoding.Kind.uppercaseGUID : IdentifierEncoding.Kind.lowercaseGUID)
                GUIDText.appendBytes(of: utf8, to: &w.payload)
                result = w
            } else if let m = MessageIdShape.parse(utf8) {
                guard let prefix = tokenID(UnsafeBufferPointer(rebasing: utf8[..<m.prefixLength])),
                      let suffix = tokenID(UnsafeBufferPointer(rebasing: utf8[(m.prefixLength + 50)...])) else { return }
                var w = WantedIdentifier(kind: IdentifierEncoding.Kind.messageId, prefix: prefix, suffix: suffix, stamp: m.stamp)
                GUIDText.appendBytes(of: UnsafeBufferPointer(rebasing: utf8[m.prefixLength + 14..<m.prefixLength + 50]), to: &w.payload)
                result = w
            } else if utf8.count >= 22 {
                var payload: [UInt8] = []
                if Base64Id.parse(UnsafeBufferPointer(rebasing: utf8[..<22]), appendingTo: &payload) {
                    guard let suffix = tokenID(UnsafeBufferPointer(rebasing: utf8[22...])) else { return }
                    result = WantedIdentifier(kind: IdentifierEncoding.Kind.base64, payload: payload, suffix: suffix)
                    return
                }
                result = WantedIdentifier(kind: IdentifierEncoding.Kind.literal, literal: text)
            } else {
                result = WantedIdentifier(kind: IdentifierEncoding.Kind.literal, literal: text)
            }
        }
        guard let result else { return nil }
        self = result
    }
}

/// One decoded identifier, before it is turned into text.
private struct IdentifierEntry: Sendable {
    var kind: UInt8
    /// Index into the literals, GUIDs or base64 ids.
    var index: Int32 = 0
    var prefix: Int32 = 0
    var suffix: Int32 = 0
    var stamp: Int64 = 0

    /// The value's key, its tokens and literal numbered as in its chunk (see `IdentifierParts`).
    func key(guids: [UInt8], base64: [UInt8]) -> IdentifierKey {
        var key = IdentifierKey(kind: kind)
        let at = Int(index)
        switch kind {
        case IdentifierEncoding.Kind.literal:
            key.prefix = index
        case IdentifierEncoding.Kind.lowercaseGUID, IdentifierEncoding.Kind.uppercaseGUID:
            (key.high, key.low) = IdentifierKey.words(guids[at * 16..<at * 16 + 16])
        case IdentifierEncoding.Kind.messageId:
            key.prefix = prefix
            key.suffix = suffix
            key.stamp = stamp
            (key.high, key.low) = IdentifierKey.words(guids[at * 16..<at * 16 + 16])
        default:
            key.suffix = suffix
            (key.high, key.low) = IdentifierKey.words(base64[at * 17..<at * 17 + 16])
            key.tail = base64[at * 17 + 16]
        }
        return key
    }
}

/// The bit packing of GUIDs and base64 ids (see `IdentifierEncoding`).
package enum PackedIdentifiers {
    /// Whether 16 GUID bytes have the fixed bits of version 4 (RFC 4122): version 0100, variant 10.
    package static func isVersion4(_ g: ArraySlice<UInt8>) -> Bool {
        g[g.startIndex + 6] >> 4 == 4 && g[g.startIndex + 8] >> 6 == 2
    }

    /// `guids`: 16 bytes an entry; `base64`: 17 bytes an entry (16 bytes and a 4-bit tail).
    package static func pack(guids: [UInt8], base64: [UInt8]) -> [UInt8] {
        var bits = BitWriter()
        // Runs of whole bytes are written as one little-endian word: the stream takes the
        // bytes in order, each from its least significant bit, so the bits are the same.
        func word(_ bytes: [UInt8], _ from: Int, _ count: Int) -> UInt64 {
            var w: UInt64 = 0
            for k in 0..<count { w |= UInt64(bytes[from + k]) << UInt64(8 * k) }
            return w
        }
        for start in stride(from: 0, to: guids.count, by: 16) {
            if isVersion4(guids[start..<start + 16]) {
                bits.write(1, count: 1)
                bits.write(word(guids, start, 6), count: 48)
                bits.write(UInt64(guids[start + 6] & 0x0F), count: 4)
                bits.write(UInt64(guids[start + 7]), count: 8)
                bits.write(UInt64(guids[start + 8] & 0x3F), count: 6)
                bits.write(word(guids, start + 9, 7), count: 56)
            } else {
                bits.write(0, count: 1)
                bits.write(word(guids, start, 8), count: 64)
                bits.write(word(guids, start + 8, 8), count: 64)
            }
        }
        for start in stride(from: 0, to: base64.count, by: 17) {
            bits.write(word(base64, start, 8), count: 64)
            bits.write(word(base64, start + 8, 8), count: 64)
            bits.write(UInt64(base64[start + 16] & 0x0F), count: 4)
        }
        return bits.finish()
    }

    /// The flat GUID and base64 arrays back, or nil when the bits do not fit the counts.
    package static func unpack(_ packed: [UInt8], guids: Int, base64: Int) -> (guids: [UInt8], base64: [UInt8])? {
        let totalBits = packed.count * 8
        // Each GUID takes at least 122 bits and each base64 id 132: too few bits is damage, found
        // before anything is allocated.
        guard guids >= 0, base64 >= 0, guids <= totalBits / 122, base64 <= totalBits / 132,
              guids * 122 + base64 * 132 <= totalBits else { return nil }
        // Zero padded past the end, for `PaddedBits`' unaligned 64-bit reads.
        var padded = packed
        padded.append(contentsOf: repeatElement(0, count: 8))
        var ok = true
        var guidBytes: [UInt8] = [], base64Bytes: [UInt8] = []
        let bit: Int = padded.withUnsafeBytes { src in
            var bits = PaddedBits(src)
            // (No array is made with capacity 0: that would write the count of the shared empty array.)
            if guids > 0 {
                guidBytes = [UInt8](unsafeUninitializedCapacity: guids * 16) { out, made in
                    @inline(__always) func store(_ value: UInt64, _ count: Int, at offset: Int) {
                        for k in 0..<count { out[offset + k] = UInt8(truncatingIfNeeded: value >> UInt64(8 * k)) }
                    }
                    for g in 0..<guids {
                        let at = g * 16
                        guard bits.position + 1 <= totalBits else { ok = false; break }
                        if bits.read(1) == 1 {
                            guard bits.position + 121 <= totalBits else { ok = false; break }
                            store(bits.read(48), 6, at: at)
                            out[at + 6] = 0x40 | UInt8(bits.read(4))
                            out[at + 7] = UInt8(bits.read(8))
                            out[at + 8] = 0x80 | UInt8(bits.read(6))
                            store(bits.read(56), 7, at: at + 9)
                        } else {
                            guard bits.position + 128 <= totalBits else { ok = false; break }
                            store(bits.read(32), 4, at: at)
                            store(bits.read(32), 4, at: at + 4)
                            store(bits.read(32), 4, at: at + 8)
                            store(bits.read(32), 4, at: at + 12)
                        }
                    }
                    made = ok ? guids * 16 : 0
                }
            }
            guard ok, bits.position + base64 * 132 <= totalBits else { ok = false; return bits.position }
            if base64 > 0 {
                base64Bytes = [UInt8](unsafeUninitializedCapacity: base64 * 17) { out, made in
                    for b in 0..<base64 {
                        let at = b * 17
                        for half in 0..<4 {
                            let v = bits.read(32)
                            for k in 0..<4 { out[at + half * 4 + k] = UInt8(truncatingIfNeeded: v >> UInt64(8 * k)) }
                        }
                        out[at + 16] = UInt8(bits.read(4))
                    }
                    made = base64 * 17
                }
            }
            return bits.position
        }
        guard ok else { return nil }
        // Nothing but zero padding may follow: the last byte read is the last byte, and its bits
        // after the last one used are zero.
        guard (bit + 7) / 8 == packed.count else { return nil }
        if bit & 7 != 0, packed[bit >> 3] >> UInt8(bit & 7) != 0 { return nil }
        return (guidBytes, base64Bytes)
    }
}

/// `8-4-4-4-12` hexadecimal GUID text, all lowercase or all uppercase.
package enum GUIDText {
    /// Whether `text` is GUID text: nil when not, else whether it is uppercase (all
    /// digits counts as lowercase).
    package static func check(_ text: UnsafeBufferPointer<UInt8>) -> Bool? {
        guard text.count == 36,
              text[8] == UInt8(ascii: "-"), text[13] == UInt8(ascii: "-"), text[18] == UInt8(ascii: "-"), text[23] == UInt8(ascii: "-")
        else { return nil }
        // A class bit per character, or-ed and and-ed over the digits: a table lookup a character
        // instead of a switch (every identifier of a block is checked).
        return hexClasses.withUnsafeBufferPointer { classes -> Bool? in
            var any: UInt8 = 0, all: UInt8 = 0xFF
            for offset in 0..<36 where offset != 8 && offset != 13 && offset != 18 && offset != 23 {
                let c = classes[Int(text[offset])]
                any |= c
                all &= c
            }
            guard all & hexDigit != 0, any & (lowerLetter | upperLetter) != lowerLetter | upperLetter else { return nil }
            return any & upperLetter != 0
        }
    }

    private static let hexDigit: UInt8 = 1, lowerLetter: UInt8 = 2, upperLetter: UInt8 = 4
    /// Per byte: `hexDigit` for 0-9, a-f and A-F, with `lowerLetter` or `upperLetter` for the letters.
    private static let hexClasses: [UInt8] = (0..<256).map { c in
        switch c {
        case 0x30...0x39: hexDigit
        case 0x61...0x66: hexDigit | lowerLetter
        case 0x41...0x46: hexDigit | upperLetter
        default: 0
        }
    }

    /// Appends the 16 bytes of GUID text that `check` accepted (no array a value).
    package static func appendBytes(of text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        // Into a word pair first and appended once: an append a byte was most of the cost.
        var words: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &words) { out in
            var high: UInt8 = 0, haveHigh = false, at = 0
            for offset in 0..<36 where offset != 8 && offset != 13 && offset != 18 && offset != 23 {
                let c = text[offset]
                let nibble = c <= 0x39 ? c &- 0x30 : (c | 0x20) &- 0x61 &+ 10
                if haveHigh {
                    out[at] = high << 4 | nibble
                    at += 1
                } else {
                    high = nibble
                }
                haveHigh.toggle()
            }
        }
        withUnsafeBytes(of: &words) { bytes.append(contentsOf: $0) }
    }

    package static func format(_ bytes: ArraySlice<UInt8>, uppercase: Bool) -> String {
        let digits = Array((uppercase ? "0123456789ABCDEF" : "0123456789abcdef").utf8)
        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, b) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// `Outgoing_` / `Incoming_` (any letters and `_`), a 14-digit UTC stamp, a lowercase GUID, then any suffix.
package enum MessageIdShape {
    /// The shape's parts; the GUID text is `utf8[prefixLength + 14 ..< prefixLength + 50]`.
    package static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> (prefixLength: Int, stamp: Int64)? {
        guard let underscore = utf8.firstIndex(of: UInt8(ascii: "_")), underscore <= 16 else { return nil }
        let prefixLength = underscore + 1
        guard utf8.count >= prefixLength + 50 else { return nil }
        guard utf8[..<underscore].allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) else { return nil }
        var stamp: Int64 = 0
        for c in utf8[prefixLength..<prefixLength + 14] {
            guard c &- 0x30 < 10 else { return nil }
            stamp = stamp * 10 + Int64(c - 0x30)
        }
        guard GUIDText.check(UnsafeBufferPointer(rebasing: utf8[prefixLength + 14..<prefixLength + 50])) == false else { return nil }
        return (prefixLength, stamp)
    }
}

/// 22 characters of the standard base64 alphabet: 132 bits, kept as 16 bytes and a 4-bit tail byte.
package enum Base64Id {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let values: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { table[Int(c)] = Int8(i) }
        return table
    }()

    /// Appends the 17 bytes of 22 base64 characters to `bytes`; false (nothing appended) when
    /// `text` is not such.
    package static func parse(_ text: UnsafeBufferPointer<UInt8>, appendingTo out: inout [UInt8]) -> Bool {
        guard text.allSatisfy({ values[Int($0)] >= 0 }) else { return false }
        var bits: UInt64 = 0, filled = 0
        for c in text {
            bits = bits << 6 | UInt64(values[Int(c)])
            filled += 6
            if filled >= 8 {
                filled -= 8
                out.append(UInt8(truncatingIfNeeded: bits >> UInt64(filled)))
            }
        }
        out.append(UInt8(truncatingIfNeeded: bits & ((1 << UInt64(filled)) - 1)))   // the last 4 bits
        return true
    }

    package static func format(_ bytes: ArraySlice<UInt8>) -> String? {
        let bytes = Array(bytes)
        guard bytes.count == 17, bytes[16] < 16 else { return nil }
        var out: [UInt8] = []
        var bits: UInt64 = 0, filled = 0
        for b in bytes[..<16] {
            bits = bits << 8 | UInt64(b)
            filled += 8
            while filled >= 6 {
                filled -= 6
                out.append(alphabet[Int((bits >> UInt64(filled)) & 63)])
            }
        }
        bits = bits << 4 | UInt64(bytes[16])
        filled += 4
        out.append(alphabet[Int(bits & 63)])
        return String(decoding: out, as: UTF8.self)
    }
}

/// Fields of up to 56 bits read least significant bit first from a buffer padded with 8 zero
/// bytes, as unaligned 64-bit words: a byte at a time with a branch per byte was most of the time
/// of a selective scan's decode.
private struct PaddedBits {
    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    @inline(__always) mutating func read(_ n: Int) -> UInt64 {
        let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: position >> 3, as: UInt64.self)) >> UInt64(position & 7)
        position += n
        return word & ((1 << UInt64(n)) - 1)
    }
}
