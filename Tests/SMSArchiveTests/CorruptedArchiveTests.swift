import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat
@testable import SMSSupport

/// An archive of testdata/ (three segments, with rejects) damaged as a disk or a
/// copy might: random single bits flipped and segments cut short. The command line's
/// `verify` must fail naming the segment; `scan` must fail naming it too, or (when the
/// damage is where `scan` does not read: the rejects) print exactly the right records,
/// and then `rejects` fails naming it. Nothing may crash, and no record printed may be wrong.
@Suite struct CorruptedArchiveTests {
    struct Original {
        let folder = TemporaryFolder()
        let archive: String
        let segments: [String]
        let scanLines: Set<Data>
        let scanOutput: Data

        init() throws {
            archive = folder.path + "/a.smsa"
            let convert = try CommandLineTests.run(["convert", testdataExport, "-o", archive, "--quiet"])
            #expect(convert.status == 2)   // the sample has bad lines on purpose
            segments = try ArchiveReader(path: archive).manifest.segments.map { $0.file }
            let scan = try CommandLineTests.run(["scan", archive])
            scanOutput = scan.stdout
            scanLines = Set(scan.stdoutLines)
        }
    }

    /// Runs verify, scan and (if needed) rejects on the damaged archive; `segment` is the damaged file.
    static func expectDetected(_ original: Original, segment: String, what: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let verify = try CommandLineTests.run(["verify", original.archive])
        #expect(verify.status == 1, "\(what): verify did not notice", sourceLocation: sourceLocation)
        #expect(verify.stderr.contains(segment), "\(what): verify does not name \(segment): \(verify.stderr)", sourceLocation: sourceLocation)

        let scan = try CommandLineTests.run(["scan", original.archive])
        #expect(scan.status == 0 || scan.status == 1, "\(what): scan exited \(scan.status): \(scan.stderr)", sourceLocation: sourceLocation)
        for line in scan.stdoutLines {
            #expect(original.scanLines.contains(line), "\(what): scan printed a wrong record", sourceLocation: sourceLocation)
        }
        if scan.status == 1 {
            #expect(scan.stderr.contains(segment), "\(what): scan does not name \(segment): \(scan.stderr)", sourceLocation: sourceLocation)
        } else {
            // Undamaged as far as scan reads: the records are all there, and the damage is in the rejects.
            #expect(scan.stdout == original.scanOutput, "\(what): scan succeeded with different output", sourceLocation: sourceLocation)
            let rejects = try CommandLineTests.run(["rejects", original.archive])
            #expect(rejects.status == 1, "\(what): neither scan nor rejects noticed", sourceLocation: sourceLocation)
            #expect(rejects.stderr.contains(segment), "\(what): rejects does not name \(segment): \(rejects.stderr)", sourceLocation: sourceLocation)
        }
    }

    /// 60 single-bit flips at random places (a fixed seed, so a failure can be replayed).
    @Test func randomBitFlipsAreDetected() throws {
        let original = try Original()
        var random = SeededGenerator(seed: 0x5EED_0008)
        let contents = try original.segments.map { try FileIO.readAll(original.archive + "/" + $0) }
        let total = contents.reduce(0) { $0 + $1.count }
        for _ in 0..<60 {
            // Pick a byte over all segment files (bigger files get more flips), and a bit.
            var offset = Int.random(in: 0..<total, using: &random)
            var index = 0
            while offset >= contents[index].count { offset -= contents[index].count; index += 1 }
            let bit = Int.random(in: 0..<8, using: &random)
            let path = original.archive + "/" + original.segments[index]
            var bytes = contents[index]
            bytes[offset] ^= 1 << bit
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            defer { try? Data(contents[index]).write(to: URL(fileURLWithPath: path)) }
            try Self.expectDetected(original, segment: original.segments[index], what: "bit \(bit) of byte \(offset) of \(original.segments[index])")
        }
    }

    /// Each segment cut at its start, inside its header, in its middle, inside its footer and trailer.
    @Test func truncatedSegmentsAreDetected() throws {
        let original = try Original()
        for segment in original.segments {
            let path = original.archive + "/" + segment
            let bytes = try FileIO.readAll(path)
            defer { try? Data(bytes).write(to: URL(fileURLWithPath: path)) }
            for cut in [0, 5, SegmentLayout.headerSize, bytes.count / 3, bytes.count / 2, bytes.count - SegmentLayout.trailerSize - 1, bytes.count - 1] {
                try Data(bytes[..<cut]).write(to: URL(fileURLWithPath: path))
                try Self.expectDetected(original, segment: segment, what: "\(segment) cut to \(cut) bytes")
            }
        }
    }

    /// A missing segment file, and one replaced by another segment of the archive.
    @Test func missingAndSwappedSegmentsAreDetected() throws {
        let original = try Original()
        let first = original.archive + "/" + original.segments[0]
        let bytes = try FileIO.readAll(first)
        try FileManager.default.removeItem(atPath: first)
        try Self.expectDetected(original, segment: original.segments[0], what: "missing segment")
        try FileManager.default.copyItem(atPath: original.archive + "/" + original.segments[1], toPath: first)
        let verify = try CommandLineTests.run(["verify", original.archive])
        #expect(verify.status == 1)
        #expect(verify.stderr.contains(original.segments[0]), "\(verify.stderr)")
        try Data(bytes).write(to: URL(fileURLWithPath: first))
        #expect(try CommandLineTests.run(["verify", original.archive]).status == 0)
    }
}
