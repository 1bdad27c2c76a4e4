import SMSSupport
import SMSRecords

/// Encodes the rejects of a segment: per reject its source, line, reason,
/// detail and bytes, in the order they were met.
package enum RejectCodec {
    /// The encoding byte of a segment's reject chunk: this codec is its only encoding.
    package static let encodingID: UInt8 = 0

    package static func encode(_ rejects: [Reject]) -> [UInt8] {
        var w = ByteWriter()
        for reject in rejects {
            w.string(reject.source)
            w.varint(reject.line)
            w.string(reject.reason.rawValue)
            w.string(reject.detail)
            w.lengthPrefixed(reject.bytes)
        }
        return w.bytes
    }

    package static func decode(_ bytes: [UInt8], count: Int, context: String) throws(FormatError) -> [Reject] {
        var r = ByteReader(bytes, context: context)
        var rejects: [Reject] = []
        for _ in 0..<count {
            let source = try r.string()
            let line = try r.count(limit: Int.max)
            let reasonText = try r.string()
            guard let reason = RejectReason(rawValue: reasonText) else { throw r.damaged("unknown reject reason '\(reasonText)'") }
            let detail = try r.string()
            let bytes = Array(try r.lengthPrefixed())
            rejects.append(Reject(source: source, line: line, reason: reason, detail: detail, bytes: bytes))
        }
        guard r.isAtEnd else { throw r.damaged("\(r.remaining) bytes after the last reject") }
        return rejects
    }
}
