import Foundation
import Testing
@_spi(Fuzzing) @testable import SMSArchive

/// The fuzz targets' seed corpora (fuzz/corpus/) and every input a fuzzer ever
/// stopped on (fuzz/regressions/), replayed through the same entry points as
/// `make fuzz` runs, without the fuzzer: a fixed finding must stay fixed.
@Suite struct FuzzCorpusTests {
    static func inputs(_ target: String) throws -> [String] {
        var files: [String] = []
        for folder in ["corpus", "regressions"] {
            let path = repositoryRoot + "/fuzz/\(folder)/\(target)"
            guard FileManager.default.fileExists(atPath: path) else { continue }
            files += try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
        }
        return files
    }

    @Test func jsonLineCorpus() throws {
        let files = try Self.inputs("FuzzJSONLine")
        #expect(files.count >= 20)
        var violations: [String] = []
        let replayed = try FuzzEntryPoints.replay(files) { if let v = FuzzEntryPoints.jsonLine($0) { violations.append(v) } }
        #expect(replayed == files.count)
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test func gzipCorpus() throws {
        let files = try Self.inputs("FuzzGzip")
        #expect(files.count >= 10)
        var violations: [String] = []
        let replayed = try FuzzEntryPoints.replay(files) { if let v = FuzzEntryPoints.gzip($0) { violations.append(v) } }
        #expect(replayed == files.count)
        #expect(violations.isEmpty, "\(violations)")
    }

    @Test func segmentCorpus() throws {
        let files = try Self.inputs("FuzzSegment")
        #expect(files.count >= 3)
        let scratch = TemporaryFolder()
        #expect(try FuzzEntryPoints.replay(files) { FuzzEntryPoints.segment($0, scratchPath: scratch.path + "/segment") } == files.count)
    }

    /// The seed segments are real: read with checksums, they give records.
    @Test func seedSegmentsAreReadable() throws {
        for file in try Self.inputs("FuzzSegment") where file.contains("/corpus/") {
            let reader = try SegmentReader(path: file)
            #expect(!reader.blocks.isEmpty)
            #expect(try reader.readBatch(0).count > 0)
        }
    }

    /// The fuzz targets' invariants hold for inputs picked by hand, and do check something:
    /// a gzip stream cut into one-byte chunks decodes as it does whole.
    @Test func invariantsOnHandPickedInputs() throws {
        for text in ["", "\n", "{}", #"{"time":"2026-10-01T00:00:00Z"}"#, "[\n{\"time\":\"2026-10-01T00:00:00Z\"}\n]\n", "\u{FEFF}{\"a\":1}\r\n"] {
            #expect(Array(text.utf8).withUnsafeBytes { FuzzEntryPoints.jsonLine($0) } == nil, "\(text.debugDescription)")
        }
        let member = gzip(Array((storageLine() + "\n").utf8))
        for bytes in [member, member + member, Array(member.prefix(15)), member + [0x1F], member + [0x1F, 0x8B], member + [0, 0, 0]] {
            #expect(bytes.withUnsafeBytes { FuzzEntryPoints.gzip($0) } == nil, "\(bytes.count) bytes")
        }
    }
}
