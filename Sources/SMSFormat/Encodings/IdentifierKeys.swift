import SMSSupport

/// An identifier (MessageId, correlationId) as a fixed-size key, for joins that compare many of
/// them: two values of one `IdentifierKeyTable` have equal keys exactly when their texts are equal,
/// byte for byte. The key holds the parts `IdentifierEncoding` takes a value apart into (its shape
/// is decided by its text alone): the kind, the GUID or base64 bytes, the MessageId stamp, and its
/// tokens (or, for a value of no known shape, the whole text) as numbers the table gives out.
package struct IdentifierKey: Hashable, Sendable {
    /// `IdentifierEncoding.Kind`: literal, lowercase or uppercase GUID, MessageId or base64.
    package var kind: UInt8
    /// A base64 id's last 4 bits.
    package var tail: UInt8 = 0
    /// A MessageId's prefix token; a literal's text (numbers from the table).
    package var prefix: Int32 = 0
    /// A MessageId's or base64 id's suffix token (a number from the table).
    package var suffix: Int32 = 0
    /// A MessageId's stamp.
    package var stamp: Int64 = 0
    /// The GUID's or base64 id's first 16 bytes, little-endian.
    package var high: UInt64 = 0
    package var low: UInt64 = 0

    package init(kind: UInt8) { self.kind = kind }

    /// Whether the value is the empty text.
    package var isEmpty: Bool { kind == IdentifierEncoding.Kind.literal && prefix == IdentifierKeyTable.emptyText }
}

/// What an identifier chunk knows of its values before any is turned into text: per value its
/// key, whose `prefix` and `suffix` index the chunk's own `tokens` (a literal's `prefix`, its
/// `literals`); `IdentifierKeyTable.keys(_:)` makes them comparable across chunks.
package struct IdentifierParts: Sendable {
    package var tokens: [String]
    package var literals: [String]
    package var keys: [IdentifierKey]

    package init(tokens: [String], literals: [String], keys: [IdentifierKey]) {
        self.tokens = tokens
        self.literals = literals
        self.keys = keys
    }
}

/// Gives token and literal texts numbers, so that the keys of values from different chunks (each
/// with its own token list, or no parts at all) compare. Grows with the distinct tokens (a handful)
/// and literal texts (values of no known shape), not with the values.
package struct IdentifierKeyTable {
    private var texts: [String: Int32] = ["": emptyText]
    static let emptyText: Int32 = 0

    package init() {}

    private mutating func number(_ text: String) -> Int32 {
        if let known = texts[text] { return known }
        let made = Int32(texts.count)
        texts[text] = made
        return made
    }

    private mutating func number(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32 {
        number(String(decoding: bytes, as: UTF8.self))
    }

    /// The key of each value of `chunk`, in value order: from the chunk's parts when it has them,
    /// else from each distinct text (taken apart as the encoder would).
    package mutating func keys(_ chunk: StringChunk) -> [IdentifierKey] {
        guard let parts = chunk.identifierParts?() else {
            let (dictionary, ids) = chunk.dictionaryForm
            let keys = dictionary.map { key($0) }
            return ids.map { keys[Int($0)] }
        }
        let tokens = parts.tokens.map { number($0) }
        var literals = [IdentifierKey?](repeating: nil, count: parts.literals.count)
        return parts.keys.map { stored in
            var key = stored
            switch key.kind {
            case IdentifierEncoding.Kind.literal:
                // A literal is checked for a shape, as a text from another chunk's dictionary is.
                let i = Int(key.prefix)
                if let made = literals[i] { return made }
                key = self.key(parts.literals[i])
                literals[i] = key
            case IdentifierEncoding.Kind.messageId:
                key.prefix = tokens[Int(key.prefix)]
                key.suffix = tokens[Int(key.suffix)]
            case IdentifierEncoding.Kind.base64:
                key.suffix = tokens[Int(key.suffix)]
            default:
                break
            }
            return key
        }
    }

    /// The key of `text`: its shape's parts, as `IdentifierEncoding` takes values apart.
    package mutating func key(_ text: String) -> IdentifierKey {
        var key = IdentifierKey(kind: IdentifierEncoding.Kind.literal)
        var payload: [UInt8] = []
        withUTF8(text) { utf8 in
            if utf8.count == 36, let uppercase = GUIDText.check(utf8) {
                key.kind = uppercase ? IdentifierEncoding.Kind.uppercaseGUID : IdentifierEncoding.Kind.lowercaseGUID
                GUIDText.appendBytes(of: utf8, to: &payload)
            } else if let m = MessageIdShape.parse(utf8) {
                key.kind = IdentifierEncoding.Kind.messageId
                key.prefix = number(UnsafeBufferPointer(rebasing: utf8[..<m.prefixLength]))
                key.suffix = number(UnsafeBufferPointer(rebasing: utf8[(m.prefixLength + 50)...]))
                key.stamp = m.stamp
                GUIDText.appendBytes(of: UnsafeBufferPointer(rebasing: utf8[m.prefixLength + 14..<m.prefixLength + 50]), to: &payload)
            } else if utf8.count >= 22, Base64Id.parse(UnsafeBufferPointer(rebasing: utf8[..<22]), appendingTo: &payload) {
                key.kind = IdentifierEncoding.Kind.base64
                key.suffix = number(UnsafeBufferPointer(rebasing: utf8[22...]))
                key.tail = payload[16]
            } else {
                key.prefix = number(text)
            }
        }
        if payload.count >= 16 { (key.high, key.low) = IdentifierKey.words(payload[0..<16]) }
        return key
    }
}

extension IdentifierKey {
    /// 16 bytes as two little-endian words.
    package static func words(_ bytes: ArraySlice<UInt8>) -> (UInt64, UInt64) {
        var high: UInt64 = 0, low: UInt64 = 0
        let start = bytes.startIndex
        for k in 0..<8 {
            high |= UInt64(bytes[start + k]) << UInt64(8 * k)
            low |= UInt64(bytes[start + 8 + k]) << UInt64(8 * k)
        }
        return (high, low)
    }
}

extension IdentifierKey {
    /// A fast non-cryptographic hash (keys come from the archive being read: crafted ones can at
    /// worst slow their own join). The GUID and base64 bytes are random: mixed with the other
    /// parts, they spread keys evenly.
    package var denseHash: UInt64 {
        mixBits(high ^ (low &* 0x9E37_79B9_7F4A_7C15) ^ UInt64(bitPattern: stamp) &* 0xC2B2_AE3D_27D4_EB4F
                ^ (UInt64(UInt32(bitPattern: prefix)) << 32 | UInt64(UInt32(bitPattern: suffix))) &* 0x1656_67B1_9E37_79F9
                ^ UInt64(kind) << 56 ^ UInt64(tail) << 48)
    }
}
