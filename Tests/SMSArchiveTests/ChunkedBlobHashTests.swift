import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest

/// A blob of several read chunks (a megabyte each), lines crossing their bounds, is remembered by
/// the hash of the bytes taken: grown, it is read on; changed anywhere in what was taken, even in a
/// later chunk, it is reported and nothing is taken from it.
@Suite struct ChunkedBlobHashTests {
    static let relative = "export/" + String(format: NightlyWorkflowTests.blobPath, 5)

    /// About 4 MB of lines whose lengths vary, so that chunk bounds fall inside lines; the last cut short.
    static func blob(_ folder: TemporaryFolder) -> (path: String, cutRest: String) {
        var text = ""
        for i in 0..<12_000 {
            text += storageLine(time: "2026-10-01T05:\(String(format2: i / 600 % 60)):\(String(format2: i % 60)).0000000Z",
                                extra: #","n":"\#(String(repeating: "x", count: i % 97))""#) + "\n"
        }
        let last = storageLine(time: "2026-10-01T05:59:59.0000000Z")
        return (folder.write(relative, text + last.prefix(50)), String(last.dropFirst(50)) + "\n")
    }

    static func append(_ text: String, to path: String) throws {
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    @Test func aGrownBlobOfManyChunksIsReadOn() throws {
        let folder = TemporaryFolder()
        let (path, rest) = Self.blob(folder)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).count > 3 * FileByteSource.chunkSize)
        let archive = folder.path + "/a.smsa"
        let first = try NightlyWorkflowTests.convert([folder.path + "/export"], archive)
        #expect(first.records == 12_000 && first.rejects == 1)
        try Self.append(rest, to: path)
        let second = try NightlyWorkflowTests.convert([folder.path + "/export"], archive)
        #expect(second.blobsResumed == 1 && second.changed.isEmpty)
        #expect(second.records == 1 && second.rejects == 0)
        #expect(try Verifier(archive: archive).run(against: [folder.path + "/export"]).holds)
    }

    @Test func aChangeInALaterChunkIsReported() throws {
        let folder = TemporaryFolder()
        let (path, rest) = Self.blob(folder)
        let archive = folder.path + "/a.smsa"
        _ = try NightlyWorkflowTests.convert([folder.path + "/export"], archive)
        // One byte changed in the third chunk (an `x` of a padding value becomes a `y`), then the blob grows.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let at = try #require(bytes[(2 * FileByteSource.chunkSize + 1000)...].firstIndex(of: UInt8(ascii: "x")))
        bytes[at] = UInt8(ascii: "y")
        try bytes.write(to: URL(fileURLWithPath: path))
        try Self.append(rest, to: path)
        let second = try NightlyWorkflowTests.convert([folder.path + "/export"], archive)
        #expect(second.records == 0)
        #expect(second.changed.map(\.path) == [path])
        #expect(second.changed.first?.reason.contains("differ") == true)
    }
}
