import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords

/// Log Analytics workspace data exports (`am-<table>/…/PT05M.json` and overflow
/// files of flat rows) and records filed out of their hour.
@Suite struct WorkspaceExportTests {
    static let workspaceRoot = "WorkspaceResourceId=/subscriptions/e57e02d0-147f-4e18-adc6-7c94c8065964/resourcegroups/rg-monitoring/providers/microsoft.operationalinsights/workspaces/law-acs-prod"
    static let notifyResource = "/subscriptions/e57e02d0-147f-4e18-adc6-7c94c8065964/resourcegroups/rg-prod-0/providers/microsoft.communication/communicationservices/acs-notify-0"

    /// testdata's workspace tables, converted on their own.
    static func workspaceRows(in folder: TemporaryFolder) throws -> [ArchiveRoundTripTests.ScannedRow] {
        let inputs = ["am-acssmsincomingoperations", "am-acsbillingusage"].map { testdataExport + "/" + $0 }
        return try ArchiveRoundTripTests.scanAll(try ArchiveRoundTripTests.convert(inputs, into: folder))
    }

    @Test func overflowFilesAreWalkedAfterTheirFirstFile() throws {
        let blobs = try InputWalker.blobs(in: [testdataExport + "/am-acssmsincomingoperations"])
        let names = blobs.map { $0.split(separator: "/").suffix(2).joined(separator: "/") }
        #expect(names == ["m=55/PT05M.json", "m=05/PT05M.json", "m=05/PT05M_1.json", "m=10/PT05M.json.gz"])
    }

    @Test func categoryAndResourceComeFromTheRowElseTheTable() throws {
        let folder = TemporaryFolder()
        let rows = try Self.workspaceRows(in: folder)
        // 3 documentation examples + 13 good rows of the first file + 2 overflow + 2 in the next file + 2 usage.
        #expect(rows.count == 22)
        let usage = rows.filter { $0.category == "Usage" }
        #expect(usage.count == 2)  // no Category member: from Type = ACSBillingUsage
        let withoutCategory = rows.filter { row in
            let text = String(decoding: row.document, as: UTF8.self)
            return !text.contains("\"Category\"") && text.contains("ACSSMSIncomingOperations")
        }
        #expect(withoutCategory.count == 1)
        #expect(withoutCategory.allSatisfy { $0.category == "SMSOperational" })  // from Type
        // The resource is the row's _ResourceId, never the workspace of the path.
        let ours = rows.filter { String(decoding: $0.document, as: UTF8.self).contains("\"_ResourceId\"") }
        #expect(ours.count == 19)
        #expect(ours.allSatisfy { $0.resourceId == Self.notifyResource })
        #expect(rows.allSatisfy { $0.resourceId?.contains("workspaces") != true })
    }

    @Test func everyWorkspaceRowComesBackByteForByte() throws {
        let folder = TemporaryFolder()
        let rows = try Self.workspaceRows(in: folder)
        var expected: [String] = []
        for blob in try InputWalker.blobs(in: ["am-acssmsincomingoperations", "am-acsbillingusage"].map { testdataExport + "/" + $0 }) {
            let data = blob.hasSuffix(".gz") ? try Self.gunzip(blob) : try Data(contentsOf: URL(fileURLWithPath: blob))
            expected += String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
                .filter { !$0.contains("13/01/2026") && !$0.contains(#""10/01/2026 02:05""#) && !$0.contains("14:05:13 PM") }
        }
        #expect(rows.map { String(decoding: $0.document, as: UTF8.self) }.sorted() == expected.sorted())
    }

    /// The file decompressed by the system's gzip, independent of our decoder.
    static func gunzip(_ path: String) throws -> Data {
        try runChild("/bin/gzip", ["-dc", path]).stdout
    }

    @Test func lateRecordsArePartitionedAndSortedByTheirOwnTime() throws {
        let folder = TemporaryFolder()
        let archive = try ArchiveRoundTripTests.convert([testdataExport], into: folder)
        let reader = try ArchiveReader(path: archive)
        // Every segment holds one UTC day, whatever the paths of the blobs its records came from.
        for entry in reader.manifest.segments where entry.records > 0 {
            let day = { (t: Timestamp) in t.ticks.quotientAndRemainderFlooring(dividingBy: Timestamp.ticksPerDay).0 }
            #expect(day(entry.minTime!) == day(entry.maxTime!))
        }
        // Rows filed two days late (in h=02 of 2026-10-01, or under d=03) are found in their own day.
        let late = try ArchiveRoundTripTests.scanAll(archive, ScanQuery(from: Timestamp(iso8601: "2026-09-29T00:00:00Z"),
                                                                        to: Timestamp(iso8601: "2026-10-01T00:00:00Z")))
        #expect(late.map(\.time) == ["2026-09-29T23:59:58.0000001Z", "2026-09-30T11:00:00.5Z", "2026-09-30T23:59:59.9999999Z"].map { Timestamp(iso8601: $0)! })
        let filedUnderOctober3 = try ArchiveRoundTripTests.scanAll(archive, ScanQuery(from: Timestamp(iso8601: "2026-10-01T02:15:00Z"),
                                                                                      to: Timestamp(iso8601: "2026-10-01T02:15:02Z")))
        #expect(filedUnderOctober3.count == 2)
        #expect(try ArchiveRoundTripTests.scanAll(archive, ScanQuery(from: Timestamp(iso8601: "2026-10-02T00:00:00Z"))).isEmpty)
    }

    /// As a new user would: an export written by an independent generator
    /// (scripts/make_workspace_export.py: 5-minute files with overflow files, workspace
    /// columns, late rows, drift, duplicates) converts and scans back equal, checked by
    /// scripts/check_roundtrip.py with Python's own JSON parser.
    @Test func anIndependentlyGeneratedWorkspaceExportRoundTrips() throws {
        let run = try runChild("/usr/bin/env", ["python3", repositoryRoot + "/scripts/check_roundtrip.py",
                                                "--smsarchive", CommandLineTests.executable, "--records", "3000"])
        let report = String(decoding: run.stdout + run.stderr, as: UTF8.self)
        #expect(run.status == 0, "\(report)")
        #expect(!report.contains("FAIL") && report.contains("checks passed"), "\(report)")
    }
}
