import Foundation
import Testing

/// A record of a 50 MB value (incompressible) costs a small multiple of its size: under 4 times to
/// convert, under 5 times to compact (each chunk encoding tried, and every value interned twice,
/// made it 6 times).
@Suite struct LargeRecordMemoryTests {
    @Test func aLargeRecordConvertsAndCompactsInASmallMultipleOfItsSize() throws {
        let folder = TemporaryFolder()
        let random = try #require(FileHandle(forReadingAtPath: "/dev/urandom")).readData(ofLength: 37_500_000)
        let value = random.base64EncodedString()   // 50,000,000 characters
        let big = folder.write("one/PT1H.json", storageLine(extra: #","big":"\#(value)""#) + "\n")
        let small = folder.write("two/PT1H.json", storageLine(time: "2026-10-01T01:00:00.0000000Z") + "\n")
        let archive = folder.path + "/a.smsa"
        let megabyte = 1_000_000 / 1024   // in KiB, as the peak is given
        let convert = try ChildProcess.measured([CommandLineTests.executable, "convert", big, "-o", archive, "--max-line-bytes", "60000000", "--quiet"])
        #expect(convert.status == 0, "\(convert.stderr)")
        #expect(convert.maxRSSKiB < 200 * megabyte, "convert: \(convert.maxRSSKiB) KiB")
        #expect(try CommandLineTests.run(["convert", small, "-o", archive, "--quiet"]).status == 0)
        let compact = try ChildProcess.measured([CommandLineTests.executable, "compact", archive, "--target-size", "1024", "--quiet"])
        #expect(compact.status == 0, "\(compact.stderr)")
        #expect(compact.maxRSSKiB < 250 * megabyte, "compact: \(compact.maxRSSKiB) KiB")
        #expect(try CommandLineTests.run(["scan", archive, "--count"]).stdout == Data("2\n".utf8))
        let scan = try CommandLineTests.run(["scan", archive, "--limit", "1"])
        #expect(scan.stdout.count > 50_000_000 && String(decoding: scan.stdout, as: UTF8.self).contains(value))
    }
}
