import SMSRecords
import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Splits one blob's decompressed bytes into lines and lines into records and rejects.
///
/// A blob is JSON Lines (CRLF or LF, blank lines skipped, a BOM at its start
/// ignored). A line of the legacy form `{"records": [ ... ]}` yields each
/// element as a record. When the first line of a blob is the start of a value
/// that spans lines (the pretty-printed legacy form), the blob is read as a
/// sequence of JSON values instead; each record's line is where it starts.
/// The same happens when the first line is a lone `{` or `[` (pretty-printed JSON).
///
/// A line (or such a document) longer than `maxLineBytes` is not held: it becomes a
/// `too-long` reject keeping its first `tooLongPrefixBytes` bytes, its length and its
/// XXH64, so memory stays bounded whatever the input (a gzip bomb of zeros, say).
package struct BlobParser {
    package typealias Emit = (IngestEvent) throws -> Void

    /// The longest line taken by default: 16 MiB.
    package static let defaultMaxLineBytes = 16 << 20
    /// The most `maxLineBytes` may be raised to: 200 MiB. A record's values then fit a segment's
    /// chunks, which the format bounds (`SegmentLayout.maxChunkBytes`).
    package static let maxMaxLineBytes = 200 << 20
    /// Bytes of a too-long line kept in its reject.
    package static let tooLongPrefixBytes = 4096

    /// A line (or document) being skipped because it is longer than `maxLineBytes`.
    private struct Overlong {
        var length = 0
        var prefix: [UInt8] = []
        var newlines = 0
        var last: UInt8?
        let hasher = StreamingXXH64()

        mutating func add(_ bytes: UnsafeRawBufferPointer) {
            hasher.update(bytes)
            if let byte = bytes.last { last = byte }
            length += bytes.count
            if prefix.count < BlobParser.tooLongPrefixBytes {
                prefix.append(contentsOf: bytes.prefix(BlobParser.tooLongPrefixBytes - prefix.count))
            }
        }
    }

    package let source: String
    package let path: BlobPath
    package let maxDepth: Int
    /// The longest line (without its line end) or document read; a longer one is a `too-long` reject.
    package var maxLineBytes = BlobParser.defaultMaxLineBytes
    /// Lines seen so far (the number of the last line handled).
    private(set) var lineNumber = 0
    private(set) var bytesRead = 0
    /// Bytes up to the end of the last line taken for good: a rerun may resume there.
    private(set) var consumedBytes = 0
    /// The line of a cut last line (a `truncated` or `corrupt-input` reject), which a rerun will read again.
    private(set) var pendingLine: Int?
    private var pending: [UInt8] = []
    private var sawContent = false
    private var document: [UInt8]?
    private var documentFirstLine = 0
    /// When set, lines that `LineShredder` takes go here, taken apart, instead of to `emit` as records.
    package var shreddedSink: ((ShreddedRecord) throws -> Void)?
    private var lineShredder = LineShredder()
    private var overlong: Overlong?
    /// Whether `overlong` is a whole document (pretty-printed or legacy form), not a line.
    private var overlongIsDocument = false
    /// Set when the bytes fed from now on are suspect (inflated from a gzip member that failed its
    /// check): why. Each line is then kept as a `corrupt-input` reject, never taken as a record.
    package var suspect: String?

    /// - Parameters:
    ///   - startLine: the number of the first line fed (above 1 when resuming a blob that grew).
    ///   - startOffset: the blob offset of the first byte fed.
    package init(source: String, path: BlobPath, maxDepth: Int = JSONParser.defaultMaxDepth, startLine: Int = 1, startOffset: Int = 0) {
        self.source = source
        self.path = path
        self.maxDepth = maxDepth
        lineNumber = startLine - 1
        bytesRead = startOffset
        consumedBytes = startOffset
        // A resumed blob is JSON Lines: its start was seen on an earlier run.
        sawContent = startLine > 1
    }

    package mutating func consume(_ chunk: [UInt8], emit: Emit) throws {
        let chunkStart = bytesRead
        bytesRead += chunk.count
        try chunk.withUnsafeBytes { buffer in
            var start = 0
            while start < buffer.count {
                let rest = UnsafeRawBufferPointer(rebasing: buffer[start...])
                if overlongIsDocument {
                    overlong!.add(rest)
                    overlong!.newlines += countNewlines(rest)
                    return
                }
                if document != nil {
                    if document!.count + rest.count > maxLineBytes {
                        // Too long to hold: the rest of the blob is one too-long reject.
                        var skipped = Overlong()
                        document!.withUnsafeBytes { skipped.add($0) }
                        skipped.newlines = document!.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                        skipped.add(rest)
                        skipped.newlines += countNewlines(rest)
                        document = nil
                        overlong = skipped
                        overlongIsDocument = true
                        return
                    }
                    document!.append(contentsOf: rest)
                    return
                }
                guard let found = memchr(rest.baseAddress!, 0x0A, rest.count) else {
                    appendToLine(rest)
                    return
                }
                let newline = start + (UnsafeRawPointer(found) - rest.baseAddress!)
                let piece = UnsafeRawBufferPointer(rebasing: buffer[start..<newline])
                lineNumber += 1
                if overlong == nil && pending.count + piece.count > maxLineBytes {
                    appendToLine(piece)
                } else if overlong != nil {
                    overlong!.add(piece)
                }
                if overlong != nil {
                    try emitTooLong(emit: emit)
                } else if pending.isEmpty {
                    try handleLine(piece, hasNewline: true, emit: emit)
                } else {
                    pending.append(contentsOf: piece)
                    let line = pending
                    pending = []
                    try line.withUnsafeBytes { try handleLine($0, hasNewline: true, emit: emit) }
                }
                start = newline + 1
                consumedBytes = chunkStart + start
            }
        }
    }

    /// Adds bytes to the line being read, or, once it is over `maxLineBytes`, only counts and hashes them.
    private mutating func appendToLine(_ bytes: UnsafeRawBufferPointer) {
        if overlong == nil && pending.count + bytes.count > maxLineBytes {
            var skipped = Overlong()
            pending.withUnsafeBytes { skipped.add($0) }
            pending = []
            overlong = skipped
        }
        if overlong != nil {
            overlong!.add(bytes)
        } else {
            pending.append(contentsOf: bytes)
        }
    }

    /// The `too-long` reject of the line (or document) just skipped, at line `line`.
    private mutating func emitTooLong(line: Int? = nil, cut: Bool = false, damage: String? = nil, emit: Emit) throws {
        guard let skipped = overlong else { return }
        overlong = nil
        let what = overlongIsDocument ? "the blob, read as one JSON document from this line," : "the line"
        overlongIsDocument = false
        let hash = String(skipped.hasher.digest, radix: 16).leftPaddedWithZeros(to: 16)
        var detail = "\(what) is \(skipped.length) bytes long, over the limit of \(maxLineBytes) bytes (convert --max-line-bytes); XXH64 \(hash); its first \(skipped.prefix.count) bytes are kept"
        if cut { detail += "; the blob ends without a line end, so the line is read again if the blob grows" }
        if let damage { detail = damage + "; " + detail }
        try emit(.reject(Reject(source: source, line: line ?? lineNumber, reason: damage == nil ? .tooLong : .corruptInput,
                                detail: detail, bytes: skipped.prefix)))
    }

    /// Handles what is left at the end of the blob. `damage` says why the stream stopped early.
    package mutating func finish(damage: String?, emit: Emit) throws {
        if overlongIsDocument, let skipped = overlong {
            let endsWithNewline = skipped.last == 0x0A
            lineNumber = documentFirstLine - 1 + skipped.newlines + (endsWithNewline ? 0 : 1)
            try emitTooLong(line: documentFirstLine, emit: emit)
            consumedBytes = bytesRead   // as a whole document: done
            if let damage {
                pendingLine = lineNumber + 1
                try emit(.reject(Reject(source: source, line: lineNumber + 1, reason: .corruptInput, detail: damage, bytes: [])))
            }
            return
        }
        if overlong != nil {
            // A too-long last line without a line end: taken as cut (like `truncated`), so that a
            // rerun reads it again, whole, if the blob grows.
            lineNumber += 1
            pendingLine = lineNumber
            try emitTooLong(cut: true, damage: damage, emit: emit)
            return
        }
        if let doc = document, let suspect {
            // A document (legacy or pretty-printed form) with a suspect part: kept whole as one reject.
            document = nil
            lineNumber = documentFirstLine - 1 + doc.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (doc.last == 0x0A ? 0 : 1)
            consumedBytes = bytesRead
            try emit(.reject(Reject(source: source, line: documentFirstLine, reason: .corruptInput,
                                    detail: suspect + "; the blob, read as one JSON document from this line, was partly inflated from the damaged part",
                                    bytes: doc)))
            return
        } else if let doc = document {
            document = nil
            let endsWithNewline = doc.last == 0x0A
            lineNumber = documentFirstLine - 1 + doc.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (endsWithNewline ? 0 : 1)
            try doc.withUnsafeBytes {
                try processDocument($0, firstLine: documentFirstLine, endsWithNewline: endsWithNewline && damage == nil, emit: emit)
            }
            consumedBytes = bytesRead   // a whole-document blob is not appended to: it is done
        } else if !pending.isEmpty {
            lineNumber += 1
            let line = pending
            pending = []
            if damage == nil {
                try line.withUnsafeBytes { try handleLine($0, hasNewline: false, emit: emit) }
                if pendingLine == nil { consumedBytes = bytesRead }
                return
            }
            pendingLine = lineNumber
            try emit(.reject(Reject(source: source, line: lineNumber, reason: .corruptInput, detail: damage!, bytes: line)))
            return
        }
        if let damage {
            pendingLine = lineNumber + 1
            try emit(.reject(Reject(source: source, line: lineNumber + 1, reason: .corruptInput, detail: damage, bytes: [])))
        }
    }

    private mutating func handleLine(_ raw: UnsafeRawBufferPointer, hasNewline: Bool, emit: Emit) throws {
        var raw = raw
        var line = raw
        if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        if lineNumber == 1, line.count >= 3, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF {
            line = UnsafeRawBufferPointer(rebasing: line.dropFirst(3))
            // A document that starts here (the legacy or pretty-printed form) starts after the BOM too.
            raw = UnsafeRawBufferPointer(rebasing: raw.dropFirst(3))
        }
        if isBlank(line) { return }
        if let suspect {
            try emit(.reject(Reject(source: source, line: lineNumber, reason: .corruptInput,
                                    detail: suspect + "; this line was inflated from the damaged part and may not be what was written",
                                    bytes: Array(line))))
            return
        }
        let isFirstContent = !sawContent
        sawContent = true

        if recordsWrapperBody(line, from: firstNonBlank(line)) != nil {
            if isFirstContent && hasNewline {
                enterDocumentMode(raw)
                return
            }
            try processDocument(line, firstLine: lineNumber, endsWithNewline: hasNewline, emit: emit)
            return
        }
        // A nested `properties` object is two levels deep: within any depth limit but a silly one.
        if let sink = shreddedSink, maxDepth >= 2, let shredded = lineShredder.shred(line, path: path) {
            try sink(shredded)
            return
        }
        let parsed: Result<JSONValue, JSONParseError>
        do throws(JSONParseError) { parsed = .success(try JSONParser.parseDocument(line, maxDepth: maxDepth)) }
        catch { parsed = .failure(error) }
        switch parsed {
        case .success(let value):
            try emitRecord(value, bytes: line, line: lineNumber, emit: emit)
        case .failure(let error):
            if error.kind == .unexpectedEnd && !hasNewline {
                pendingLine = lineNumber
                try emitReject(.truncated, "the blob's last line is cut short: \(error.message)", bytes: line, line: lineNumber, emit: emit)
            } else if error.kind == .unexpectedEnd && isFirstContent && opensPrettyPrintedDocument(line) {
                enterDocumentMode(raw)
            } else {
                try emitReject(reason(for: error), error.message, bytes: line, line: lineNumber, emit: emit)
            }
        }
    }

    private mutating func enterDocumentMode(_ raw: UnsafeRawBufferPointer) {
        document = Array(raw) + [0x0A]
        documentFirstLine = lineNumber
    }

    /// Reads `bytes` as a sequence of JSON values, expanding `{"records": [...]}` wrappers.
    /// On an error the rest of `bytes` becomes one reject.
    private func processDocument(_ bytes: UnsafeRawBufferPointer, firstLine: Int, endsWithNewline: Bool, emit: Emit) throws {
        var scanner = JSONScanner(bytes, maxDepth: maxDepth)
        var lineCounter = LineCounter(bytes: bytes, firstLine: firstLine)

        func rejectRest(from start: Int, _ error: JSONParseError?) throws {
            var end = bytes.count
            while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
            let rest = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
            let line = lineCounter.line(at: start)
            if let bad = firstInvalidUTF8(rest) {
                try emitReject(.invalidUTF8, "invalid UTF-8 at byte \(bad + 1)", bytes: rest, line: line, emit: emit)
            } else if let error, error.kind == .unexpectedEnd, !endsWithNewline {
                try emitReject(.truncated, "the blob ends inside a value: \(error.message)", bytes: rest, line: line, emit: emit)
            } else {
                let message = error?.message ?? "expected ',' or ']' between records"
                try emitReject(error.map(reason(for:)) ?? .invalidJSON, message, bytes: rest, line: line, emit: emit)
            }
        }

        func parseOne() throws -> Bool {
            scanner.skipWhitespace()
            let start = scanner.index
            let parsed: Result<JSONValue, JSONParseError>
            do throws(JSONParseError) { parsed = .success(try scanner.parseValue()) }
            catch { parsed = .failure(error) }
            switch parsed {
            case .success(let value):
                let range = UnsafeRawBufferPointer(rebasing: bytes[start..<scanner.index])
                let line = lineCounter.line(at: start)
                if let bad = firstInvalidUTF8(range) {
                    try emitReject(.invalidUTF8, "invalid UTF-8 at byte \(bad + 1)", bytes: range, line: line, emit: emit)
                } else {
                    try emitRecord(value, bytes: range, line: line, emit: emit)
                }
                return true
            case .failure(let error):
                try rejectRest(from: start, error)
                return false
            }
        }

        while true {
            scanner.skipWhitespace()
            guard scanner.index < bytes.count else { return }
            let valueStart = scanner.index
            guard let body = recordsWrapperBody(bytes, from: valueStart) else {
                guard try parseOne() else { return }
                continue
            }
            scanner.index = body
            scanner.skipWhitespace()
            if scanner.index < bytes.count, bytes[scanner.index] == UInt8(ascii: "]") {
                scanner.index += 1
            } else {
                elements: while true {
                    guard try parseOne() else { return }
                    scanner.skipWhitespace()
                    guard scanner.index < bytes.count else {
                        try rejectRest(from: scanner.index, JSONParseError(kind: .unexpectedEnd, offset: scanner.index, message: "input ends inside the records array"))
                        return
                    }
                    switch bytes[scanner.index] {
                    case UInt8(ascii: ","): scanner.index += 1
                    case UInt8(ascii: "]"): scanner.index += 1; break elements
                    default: try rejectRest(from: scanner.index, nil); return
                    }
                }
            }
            scanner.skipWhitespace()
            guard scanner.index < bytes.count, bytes[scanner.index] == UInt8(ascii: "}") else {
                let error = scanner.index < bytes.count
                    ? JSONParseError(kind: .syntax, offset: scanner.index, message: "expected '}' closing the records wrapper")
                    : JSONParseError(kind: .unexpectedEnd, offset: scanner.index, message: "input ends before '}' closing the records wrapper")
                try rejectRest(from: scanner.index, error)
                return
            }
            scanner.index += 1
        }
    }

    private func emitRecord(_ value: JSONValue, bytes: UnsafeRawBufferPointer, line: Int, emit: Emit) throws {
        switch RecordBuilder.build(value, categoryFallback: path.category, resourceFallback: path.resourceId) {
        case .success(let record): try emit(.record(record))
        case .failure(let problem): try emitReject(problem.reason, problem.detail, bytes: bytes, line: line, emit: emit)
        }
    }

    private func emitReject(_ reason: RejectReason, _ detail: String, bytes: UnsafeRawBufferPointer, line: Int, emit: Emit) throws {
        try emit(.reject(Reject(source: source, line: line, reason: reason, detail: detail, bytes: Array(bytes))))
    }

    private func reason(for error: JSONParseError) -> RejectReason {
        switch error.kind {
        case .invalidUTF8: return .invalidUTF8
        case .tooDeep: return .tooDeep
        case .syntax, .unexpectedEnd: return .invalidJSON
        }
    }
}

private func countNewlines(_ bytes: UnsafeRawBufferPointer) -> Int {
    var count = 0
    var start = 0
    while start < bytes.count, let found = memchr(bytes.baseAddress! + start, 0x0A, bytes.count - start) {
        count += 1
        start = UnsafeRawPointer(found) - bytes.baseAddress! + 1
    }
    return count
}

extension String {
    fileprivate func leftPaddedWithZeros(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// Maps byte offsets (visited in increasing order) to 1-based line numbers.
private struct LineCounter {
    let bytes: UnsafeRawBufferPointer
    var line: Int
    var counted = 0

    init(bytes: UnsafeRawBufferPointer, firstLine: Int) {
        self.bytes = bytes
        self.line = firstLine
    }

    mutating func line(at offset: Int) -> Int {
        while counted < offset {
            if bytes[counted] == 0x0A { line += 1 }
            counted += 1
        }
        return line
    }
}

@inline(__always) package func isJSONWhitespace(_ b: UInt8) -> Bool {
    b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D
}

private func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
    line.allSatisfy(isJSONWhitespace)
}

private func firstNonBlank(_ bytes: UnsafeRawBufferPointer) -> Int {
    bytes.firstIndex { !isJSONWhitespace($0) } ?? bytes.count
}

/// Whether a blob's first line is a lone `{` or `[`: the start of pretty-printed JSON
/// (a line that merely fails to parse must stay one reject, not swallow the blob).
private func opensPrettyPrintedDocument(_ line: UnsafeRawBufferPointer) -> Bool {
    let content = line.filter { !isJSONWhitespace($0) }
    return content == [UInt8(ascii: "{")] || content == [UInt8(ascii: "[")]
}

/// If a `{"records": [` wrapper (key matched ignoring case) starts at `start`,
/// the offset just past its `[`.
private func recordsWrapperBody(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
    var i = start
    func skip() { while i < bytes.count, isJSONWhitespace(bytes[i]) { i += 1 } }
    func take(_ c: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == c else { return false }
        i += 1
        return true
    }
    guard take(UInt8(ascii: "{")) else { return nil }
    skip()
    guard take(UInt8(ascii: "\"")) else { return nil }
    for c in "records".utf8 {
        guard i < bytes.count, bytes[i] | 0x20 == c else { return nil }
        i += 1
    }
    guard take(UInt8(ascii: "\"")) else { return nil }
    skip()
    guard take(UInt8(ascii: ":")) else { return nil }
    skip()
    guard take(UInt8(ascii: "[")) else { return nil }
    return i
}
