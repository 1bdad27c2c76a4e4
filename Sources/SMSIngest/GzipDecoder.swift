import CZlib

/// Streams the decompressed bytes of a gzip file through zlib, reading every
/// member of a multi-member file (as `cat a.gz b.gz` makes).
///
/// Damage (a bad header, a bad checksum, a cut stream, trailing garbage)
/// ends the stream with `IngestError.corrupt`, after everything decoded before it.
package final class GzipDecoder: ByteSource {
    package static var magic: [UInt8] { [0x1F, 0x8B] }

    private var base: any ByteSource
    private let path: String
    private var stream: UnsafeMutablePointer<z_stream>
    private var input: [UInt8] = []
    private var inputOffset = 0
    private var consumedBefore = 0
    private var finished = false
    private var memberOpen = true
    private var pendingError: IngestError?

    package init(base: any ByteSource, path: String) {
        self.base = base
        self.path = path
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

    package func nextChunk() throws(IngestError) -> [UInt8]? {
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
            switch status {
            case Z_OK, Z_BUF_ERROR:
                continue
            case Z_STREAM_END:
                memberOpen = false
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(status)"
                pendingError = corrupt(message)
            }
            if pendingError != nil { break }
        }
        output.removeLast(output.count - produced)
        if produced == 0 {
            if let e = pendingError { pendingError = nil; finished = true; throw e }
            return finished ? nil : (try nextChunk())
        }
        return output
    }
}
