/// Maps strings to dense ids, so a segment being built holds each distinct
/// phone number, country, operation... once.
struct StringInterner {
    private var ids: [ExactString: UInt32] = [:]
    private(set) var strings: [String] = []
    /// UTF-8 bytes held, for memory accounting.
    private(set) var byteCount = 0

    mutating func id(_ s: String) -> UInt32 {
        if let id = ids[ExactString(s)] { return id }
        let id = UInt32(strings.count)
        ids[ExactString(s)] = id
        strings.append(s)
        // The string (its bytes, or inline when short), its array slot, and its dictionary entry.
        byteCount += (s.utf8.count > 15 ? s.utf8.count + 32 : 0) + 16 + 40
        return id
    }

    subscript(id: UInt32) -> String { strings[Int(id)] }
}
