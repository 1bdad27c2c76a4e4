import Testing
@testable import SMSIngest

/// The one-call path (libdeflate, for a small single-member file) against zlib's streaming: the
/// same bytes and the same verdict on good and damaged input, and the one-call path taken only
/// where it applies.
@Suite struct GzipOneCallTests {
    /// A source handing out `bytes` in chunks of `size`.
    struct Chunks: ByteSource {
        let bytes: [UInt8]
        let size: Int
        var offset = 0
        mutating func nextChunk() throws(IngestError) -> [UInt8]? {
            guard offset < bytes.count else { return nil }
            let end = min(bytes.count, offset + size)
            defer { offset = end }
            return Array(bytes[offset..<end])
        }
    }

    /// Everything `GzipDecoder` hands out, and its error message if it ended with one.
    static func decode(_ bytes: [UInt8], whole: Bool, chunk: Int = 1 << 20) -> (output: [UInt8], error: String?) {
        let decoder = GzipDecoder(base: Chunks(bytes: bytes, size: chunk), path: "t.gz", inflatesWhole: whole)
        var output: [UInt8] = []
        do {
            while let next = try decoder.nextChunk() { output += next }
            return (output, nil)
        } catch {
            return (output, "\(error)")
        }
    }

    static let text = Array((0..<5_000).map { "{\"n\":\($0),\"pad\":\"\(String(repeating: "ab", count: $0 % 40))\"}\n" }.joined().utf8)

    static func damaged() -> [(String, [UInt8])] {
        let good = gzip(text)
        var badCRC = good; badCRC[badCRC.count - 6] ^= 0x5A
        var badSize = good; badSize[badSize.count - 3] ^= 0x01   // ISIZE says more than there is
        var smallSize = good; smallSize[smallSize.count - 4] = 0; smallSize[smallSize.count - 3] = 0
        var badData = good; badData[good.count / 2] ^= 0xFF
        // FLG.FHCRC with a wrong header CRC-16 (zlib checks it, libdeflate does not).
        var headerCRC = Array(good[..<10]) + [0x00, 0x00] + Array(good[10...]); headerCRC[3] |= 0x02
        return [
            ("wrong header CRC", headerCRC),
            ("cut", Array(good[..<(good.count * 2 / 3)])),
            ("bad CRC", badCRC),
            ("ISIZE too large", badSize),
            ("ISIZE too small", smallSize),
            ("damaged data", badData),
            ("trailing garbage", good + Array("garbage".utf8)),
            ("two members", gzip(Array(text[..<1000])) + gzip(Array(text[1000...]))),
            ("header only", Array(good[..<10])),
        ]
    }

    @Test func aSmallSingleMemberFileIsInflatedInOneCall() throws {
        let good = gzip(Self.text)
        #expect(WholeGzip.inflate(good, limit: 1 << 20) == Self.text)
        #expect(WholeGzip.inflate(good, limit: Self.text.count - 1) == nil, "above the limit: streamed")
        #expect(WholeGzip.inflate(gzip([]), limit: 1 << 20) == [])
        for (what, bytes) in Self.damaged() {
            #expect(WholeGzip.inflate(bytes, limit: 1 << 20) == nil, "\(what)")
        }
    }

    @Test func bothPathsGiveTheSameBytesAndVerdict() throws {
        let cases = [("good", gzip(Self.text)), ("empty", gzip([]))] + Self.damaged()
        for (what, bytes) in cases {
            let oneCall = Self.decode(bytes, whole: true)
            for chunk in [1, 7, 1 << 20] {
                let streamed = Self.decode(bytes, whole: false, chunk: chunk)
                #expect(oneCall.output == streamed.output, "\(what), chunks of \(chunk)")
                #expect(oneCall.error == streamed.error, "\(what), chunks of \(chunk)")
            }
            #expect((oneCall.error == nil) == ["good", "empty", "two members"].contains(what), "\(what): \(oneCall.error ?? "")")
        }
        #expect(Self.decode(gzip(Self.text), whole: true).output == Self.text)
    }

    /// A file larger than the read-ahead (4 MiB compressed) or than the one-call output limit
    /// streams through zlib, whole.
    @Test func largeFilesStream() throws {
        var state: UInt64 = 0x9E3779B97F4A7C15
        let noisy = (0..<(5 << 20)).map { _ -> UInt8 in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        let compressible = [UInt8](repeating: 0x61, count: GzipDecoder.wholeOutputLimit + 1)
        for plain in [noisy, compressible] {
            let decoded = Self.decode(gzip(plain), whole: true)
            #expect(decoded.error == nil)
            #expect(decoded.output == plain)
        }
    }
}
