import SMSRecords

/// A layout prepared for fast output: keys already written as JSON (`"key":`),
/// and what the layout says about which columns a row has.
package struct RenderedLayout {
    package enum Step {
        case column(Int, key: [UInt8])
        case quotedInteger(Int, key: [UInt8])
        case numberText(Int, key: [UInt8])
        case time(key: [UInt8], format: TimeFormat)
        case objectStart(key: [UInt8])
        case escapedObjectStart(key: [UInt8])
        case objectEnd
        case residual
    }

    package let steps: [Step]
    /// Bit c is set when rows of this layout have a value in column c's chunk.
    package let columnMask: UInt64
    package let hasResidual: Bool
    /// Members of the residual column in rows of this layout.
    package let residualCount: Int
    /// `columnMask` with the residual's bit when rows of this layout have residual members.
    package var valueMask: UInt64 { hasResidual ? columnMask | 1 << UInt64(FieldSchema.residual) : columnMask }
    /// Whether some value is written with another JSON type than its column's (version-3 tokens).
    package let hasDrift: Bool

    package init(_ layout: RecordLayout) {
        var mask: UInt64 = 0
        var hasResidual = false
        var residualCount = 0
        var hasDrift = false
        func key(_ k: String) -> [UInt8] {
            var out: [UInt8] = []
            JSONWriter.writeString(k, to: &out)
            out.append(UInt8(ascii: ":"))
            return out
        }
        steps = layout.tokens.map { token in
            switch token {
            case .column(let c, let k):
                if !FieldSchema.isEffective(c) { mask |= 1 << UInt64(c) }
                return .column(c, key: key(k))
            case .quotedInteger(let c, let k):
                mask |= 1 << UInt64(c)
                hasDrift = true
                return .quotedInteger(c, key: key(k))
            case .numberText(let c, let k):
                mask |= 1 << UInt64(c)
                hasDrift = true
                return .numberText(c, key: key(k))
            case .time(let k, let format): return .time(key: key(k), format: format)
            case .objectStart(let k): return .objectStart(key: key(k))
            case .escapedObjectStart(let k):
                hasDrift = true
                return .escapedObjectStart(key: key(k))
            case .objectEnd: return .objectEnd
            case .residual:
                hasResidual = true
                residualCount += 1
                return .residual
            }
        }
        columnMask = mask
        self.hasResidual = hasResidual
        self.residualCount = residualCount
        self.hasDrift = hasDrift
    }
}
