import Foundation
import Testing
@testable import SMSArchive
@testable import SMSSupport

/// An archive of thousands of segments (years of nightly runs) reads under a small limit of open
/// files: segment files are opened on demand, at most `DescriptorPool.limit` at once.
@Suite struct DescriptorLimitTests {
    static let segmentCount = 5000

    @Test func fiveThousandSegmentsReadUnderALimitOf256OpenFiles() throws {
        let folder = TemporaryFolder()
        let archive = folder.path + "/many.smsa"
        var options = ArchiveWriter.Options()
        options.segmentRecords = 1   // every record its own segment
        let writer = try ArchiveWriter(path: archive, options: options)
        var lines: [String] = []
        for i in 0..<Self.segmentCount {
            let seconds = i * 17   // about a day apart every 5,000 records: several days
            let time = Timestamp(ticks: Timestamp(iso8601: "2026-10-01T00:00:00Z")!.ticks + Int64(seconds) * Timestamp.ticksPerSecond)
            let line = storageLine(time: time.iso8601, extra: #","n":\#(i)"#)
            lines.append(line)
            guard case .object(let object) = try JSONParser.parseDocument(Array(line.utf8)) else { throw SpawnError(description: "not an object") }
            try writer.add(Record(object: object, time: time, category: "SMSOperational", resourceId: "/R"))
        }
        try writer.commit()
        #expect(try ArchiveReader(path: archive).manifest.segments.count == Self.segmentCount)

        func limited(_ arguments: String) throws -> ChildProcess {
            try ChildProcess.shell("ulimit -n 256 && exec \"$1\" " + arguments, [CommandLineTests.executable])
        }
        let count = try limited("scan '\(archive)' --count")
        #expect(count.status == 0, "\(count.stderr)")
        #expect(String(decoding: count.stdout, as: UTF8.self) == "\(Self.segmentCount)\n")
        let scan = try limited("scan '\(archive)'")
        #expect(scan.status == 0, "\(scan.stderr)")
        let printed = scan.stdout.split(separator: 0x0A).map { String(decoding: $0, as: UTF8.self) }
        let same = printed == lines   // not compared inside #expect: 5,000 lines would fill the report
        #expect(same, "\(printed.count) lines printed of \(lines.count)")
        for command in ["verify '\(archive)'", "info '\(archive)'", "export '\(archive)' --format jsonl --output '\(folder.path)/out.jsonl'"] {
            let run = try limited(command)
            #expect(run.status == 0, "\(command): \(run.stderr)")
        }
    }

    @Test func thePoolClosesTheLeastRecentlyUsedAndReopensOnRead() throws {
        let folder = TemporaryFolder()
        let paths = (0..<(DescriptorPool.limit + 20)).map { folder.write("f\($0)", "file \($0)") }
        let readers = try paths.map { try FileReader($0) }
        #expect(DescriptorPool.shared.openCount <= DescriptorPool.limit)
        // Every reader still reads its own file, the first ones through a descriptor opened again.
        for (i, reader) in readers.enumerated() {
            #expect(try reader.read(at: 0, count: reader.size) == Array("file \(i)".utf8))
        }
        #expect(DescriptorPool.shared.openCount <= DescriptorPool.limit)
        // A path that names another file by the time it is opened again is an error, not that file's bytes.
        try FileManager.default.removeItem(atPath: paths[0])
        _ = folder.write("f0", "another file")
        for reader in readers.dropFirst() { _ = try reader.read(at: 0, count: 1) }   // push f0's descriptor out
        #expect(throws: FileError.self) { try readers[0].read(at: 0, count: 1) }
    }
}
