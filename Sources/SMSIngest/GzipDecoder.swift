import CZlib

/// Streams the decompressed bytes of a gzip file, reading every member of a
/// multi-member file (as `cat a.gz b.gz` makes).
///
/// A file of one member that is small enough (as nearly every hourly blob is) is inflated
/// in one call by libdeflate (`WholeGzip`), about twice as fast as zlib; anything else
/// (larger, several members, trailing bytes, damage) streams through zlib from the start.
///
/// Damage (a bad header, a bad checksum, a cut stream, trailing garbage)
/// ends the stream with `IngestError.corrupt`, after everything decoded before it.
///
/// A member's CRC-32 comes after its data, so bytes inflated from a damaged member are only
/// known to be suspect at its end. A file small enough to be held (as for the one-call path)
/// is inflated whole before any byte is handed out: then the bytes of a member that fails
/// its check (not one merely cut short) come last, flagged by `suspectDamage`, and the reader
/// keeps their lines as rejects rather than records.
package final class GzipDecoder: ByteSource {
    package static var magic: [UInt8] { [0x1F, 0x8B] }
    /// The compressed bytes read ahead to see whether the file fits the one-call path.
    static let wholeInputLimit = 4 << 20
    /// The largest decompressed size (the gzip trailer's ISIZE) taken in one call: the buffer
    /// is allocated whole, so this bounds what the one-call path adds to memory.
    static let wholeOutputLimit = 32 << 20

    private var base: any ByteSource
    private let path: String
    private var stream: UnsafeMutablePointer<z_stream>
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var consumedBefore = 0
    private var finished = false
    private var memberOpen = true
    private var pendingError: IngestError?
    /// Whether the one-call path was tried (on the first `nextChunk`).
    private var triedWhole = false
    /// Bytes inflated so far, and up to the end of the last member whose check passed.
    private var inflatedTotal = 0
    private var verifiedTotal = 0
    /// Whether the error was the file ending inside a member (what came before it is not suspect).
    private var cutShort = false
    /// Chunks inflated ahead to learn whether their member is sound, handed out before streaming on;
    /// with the damage of the member that failed its check, for the bytes inflated from it.
    private var held: [(bytes: [UInt8], damage: String?)] = []
    /// Set once the bytes handed out come from a member that failed its check: why.
    package private(set) var suspectDamage: String?

    /// Reads the gzip stream of `base`, naming `path` in errors; `inflatesWhole: false` keeps to
    /// zlib (tests compare the two paths).
    package init(base: any ByteSource, path: String, inflatesWhole: Bool = true) {
        self.base = base
        self.path = path
        triedWhole = !inflatesWhole
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // 15 + 16: a gzip wrapper, the largest window.
        let status = inflateInit2_(stream, 15 + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "zlib inflateInit2 failed")
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    private func corrupt(_ what: String) -> IngestError {
        .corrupt(path: path, reason: "gzip stream damaged after \(consumedBefore + inputOffset) compressed bytes: \(what)")
    }

    /// Makes sure unread compressed input is available; false at the end of the file.
    private func refill() throws(IngestError) -> Bool {
        if inputOffset < input.count { return true }
        consumedBefore += input.count
        guard let chunk = try base.nextChunk() else { input = []; inputOffset = 0; return false }
        input = chunk
        inputOffset = 0
        return true
    }

    /// Reads ahead up to `wholeInputLimit` compressed bytes; if that is the whole file and
    /// libdeflate inflates it in one call, returns the result. Otherwise what was read becomes
    /// zlib's input, so that the stream (and any error) is exactly as without this path.
    private func inflateWhole() throws(IngestError) -> (whole: [UInt8]?, fileRead: Bool) {
        var gathered = input.count > inputOffset ? Array(input[inputOffset...]) : []
        var ended = false
        while gathered.count <= Self.wholeInputLimit {
            guard let chunk = try base.nextChunk() else { ended = true; break }
            if gathered.isEmpty { gathered = chunk } else { gathered.append(contentsOf: chunk) }
        }
        input = gathered
        inputOffset = 0
        guard ended, let whole = WholeGzip.inflate(gathered, limit: Self.wholeOutputLimit) else { return (nil, ended) }
        return (whole, true)
    }

    /// The whole file is held and did not inflate in one call (several members, or damage):
    /// inflates it through zlib up to `wholeOutputLimit` before handing anything out, so that the
    /// bytes of a member failing its check can be flagged. Past the limit, streams on as usual.
    private func inflateAhead() {
        var chunks: [[UInt8]] = []
        var total = 0
        var failure: IngestError?
        while true {
            do {
                guard let chunk = try streamChunk() else { break }
                chunks.append(chunk)
                total += chunk.count
            } catch {
                failure = error
                break
            }
            if total > Self.wholeOutputLimit { break }
        }
        if let failure {
            finished = false
            pendingError = failure
            if !cutShort, verifiedTotal < total, case .corrupt(_, let reason) = failure {
                let all = chunks.count == 1 ? chunks[0] : Array(chunks.joined())
                if verifiedTotal > 0 { held.append((Array(all[..<verifiedTotal]), nil)) }
                held.append((Array(all[verifiedTotal...]), reason))
                return
            }
        }
        held = chunks.map { ($0, nil) }
    }

    package func nextChunk() throws(IngestError) -> [UInt8]? {
        if !triedWhole {
            triedWhole = true
            let (whole, fileRead) = try inflateWhole()
            if let whole {
                finished = true
                return whole.isEmpty ? nil : whole
            }
            if fileRead { inflateAhead() }
        }
        if !held.isEmpty {
            let (bytes, damage) = held.removeFirst()
            if let damage { suspectDamage = damage }
            return bytes
        }
        return try streamChunk()
    }

    /// The next chunk through zlib.
    private func streamChunk() throws(IngestError) -> [UInt8]? {
        if let e = pendingError { pendingError = nil; finished = true; throw e }
        if finished { return nil }
        var output = [UInt8](repeating: 0, count: 1 << 20)
        var produced = 0
        while produced < output.count {
            if !memberOpen {
                // Between members: the end of the file, or another member's magic.
                guard try refill() else { finished = true; break }
                if input[inputOffset] != 0x1F || (inputOffset + 1 < input.count && input[inputOffset + 1] != 0x8B) {
                    pendingError = corrupt("trailing bytes that are not a gzip member")
                    break
                }
                inflateReset(stream)
                memberOpen = true
            }
            guard try refill() else {
                cutShort = true
                pendingError = corrupt("the stream ends inside a gzip member (file cut short?)")
                break
            }
            let (status, used, made) = input.withUnsafeMutableBytes { inBuf in
                output.withUnsafeMutableBytes { outBuf in
                    stream.pointee.next_in = inBuf.baseAddress!.assumingMemoryBound(to: Bytef.self) + inputOffset
                    stream.pointee.avail_in = UInt32(inBuf.count - inputOffset)
                    stream.pointee.next_out = outBuf.baseAddress!.assumingMemoryBound(to: Bytef.self) + produced
                    stream.pointee.avail_out = UInt32(outBuf.count - produced)
                    let beforeIn = stream.pointee.avail_in, beforeOut = stream.pointee.avail_out
                    let status = inflate(stream, Z_NO_FLUSH)
                    return (status, Int(beforeIn - stream.pointee.avail_in), Int(beforeOut - stream.pointee.avail_out))
                }
            }
            inputOffset += used
            produced += made
            inflatedTotal += made
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                memberOpen = false
                verifiedTotal = inflatedTotal
            default:
                var message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                let unverified = inflatedTotal - verifiedTotal
                if unverified > 0 { message += " (the \(unverified) bytes inflated from this member before it are unverified)" }
                pendingError = corrupt(message)
            }
            if pendingError != nil { break }
        }
        output.removeLast(output.count - produced)
        if produced == 0 {
            if let e = pendingError { pendingError = nil; finished = true; throw e }
            return finished ? nil : (try streamChunk())
        }
        return output
    }
}
