import Foundation
import Testing
@testable import SMSArchive
@testable import SMSIngest
@testable import SMSRecords

@Suite struct InputWalkerTests {
    @Test func walksFoldersForBlobsInSortedOrder() throws {
        let folder = TemporaryFolder()
        let b = folder.write("x/h=01/m=00/PT1H.json", "")
        let a = folder.write("x/h=00/m=00/PT1H.json.gz", "")
        let c = folder.write("am-table/y=2026/PT05M.json", "")
        folder.write("x/h=00/m=00/notes.txt", "")
        folder.write("x/h=00/m=00/other.json", "")
        let found = try InputWalker.blobs(in: [folder.path])
        #expect(found == [c, a, b])
    }

    @Test func takesNamedFilesWhateverTheirNameAndStdin() throws {
        let folder = TemporaryFolder()
        let f = folder.write("export.jsonl", "")
        #expect(try InputWalker.blobs(in: [f, "-"]) == [f, "-"])
    }

    @Test func aMissingInputIsAnError() {
        #expect(throws: IngestError.self) { try InputWalker.blobs(in: ["/nonexistent/smsarchive/input"]) }
    }

    @Test func readsThePath() {
        let path = BlobPath(parsing: "/data/insights-logs-smsoperational/resourceId=/SUBSCRIPTIONS/AB-12/RESOURCEGROUPS/RG-1/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/ACS-X/y=2026/m=10/d=01/h=13/m=00/PT1H.json.gz")
        #expect(path.category == "smsoperational")
        #expect(path.resourceId == "/SUBSCRIPTIONS/AB-12/RESOURCEGROUPS/RG-1/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/ACS-X")
        #expect(path.hour == Timestamp(iso8601: "2026-10-01T13:00:00Z"))
        let workspace = BlobPath(parsing: "am-acssmsincomingoperations/WorkspaceResourceId=/subscriptions/s/workspaces/w/y=2022/m=09/d=26/h=15/m=55/PT05M.json")
        #expect(workspace.category == "SMSOperational")
        #expect(workspace.resourceId == nil)
        #expect(BlobPath(parsing: "am-acsbillingusage/WorkspaceResourceId=/subscriptions/s/y=2022/m=09/d=26/h=15/m=55/PT05M_1.json").category == "Usage")
        #expect(BlobPath(parsing: "am-othertable/WorkspaceResourceId=/subscriptions/s/y=2022/m=09/d=26/h=15/m=55/PT05M.json").category == "othertable")
        #expect(workspace.hour == Timestamp(iso8601: "2022-09-26T15:00:00Z"))
        #expect(BlobPath(parsing: "some/file.json") == BlobPath())
    }
}

/// The lazy walk of export trees: time folders in the order of their numbers,
/// other folders merged by the hour their blobs' paths name.
@Suite struct FolderWalkTests {
    @Test func categoriesAndResourcesAreMergedByHour() throws {
        let folder = TemporaryFolder()
        let path = { (container: String, resource: String, hour: Int) in
            "\(container)/resourceId=/SUBSCRIPTIONS/S/\(resource)/y=2026/m=10/d=01/h=\(hour < 10 ? "0" : "")\(hour)/m=00/PT1H.json"
        }
        var written: [String: String] = [:]
        for container in ["insights-logs-usage", "insights-logs-smsoperational"] {
            for resource in ["B", "A"] {
                for hour in [9, 10, 0] { written[path(container, resource, hour)] = folder.write(path(container, resource, hour), "") }
            }
        }
        let found = try InputWalker.blobs(in: [folder.path])
        let expected = [0, 9, 10].flatMap { hour in
            ["insights-logs-smsoperational", "insights-logs-usage"].flatMap { c in ["A", "B"].map { written[path(c, $0, hour)]! } }
        }
        #expect(found == expected)
    }

    @Test func timeFoldersAreOrderedByNumberNotByName() throws {
        let folder = TemporaryFolder()
        let late = folder.write("t/y=2026/m=10/d=1/h=10/m=00/PT1H.json", "")
        let early = folder.write("t/y=2026/m=10/d=1/h=9/m=00/PT1H.json", "")
        let earlier = folder.write("t/y=2026/m=9/d=30/h=23/m=00/PT1H.json", "")
        #expect(try InputWalker.blobs(in: [folder.path + "/t"]) == [earlier, early, late])
    }

    @Test func timeKeysAreRecognised() {
        let key = { (name: String) in BlobPath.timePartition(ArraySlice(name.utf8)).map { "\(Character(UnicodeScalar($0.letter)))\($0.value)" } }
        #expect(key("y=2026") == "y2026")
        #expect(key("m=05") == "m5")
        #expect(key("H=23") == "h23")
        #expect(key("resourceId=") == nil)
        #expect(key("x=1") == nil)
        #expect(key("d=1a") == nil)
        #expect(key("d=") == nil)
    }

    @Test func aWalkListsFoldersOnlyAsItReachesThem() throws {
        let folder = TemporaryFolder()
        let first = folder.write("t/y=2026/m=10/d=01/h=00/m=00/PT1H.json", "")
        folder.write("t/y=2026/m=10/d=02/h=00/m=00/PT1H.json", "")
        let walk = FolderWalk(folder: folder.path + "/t")
        #expect(try walk.next() == first)
        // The next day's folder is listed only now: removing it before is not noticed.
        try FileManager.default.removeItem(atPath: folder.path + "/t/y=2026/m=10/d=02")
        #expect(try walk.next() == nil)
    }

    @Test func anEmptyFolderHasNoBlobs() throws {
        let folder = TemporaryFolder()
        folder.write("t/notes.txt", "x")
        #expect(try InputWalker.blobs(in: [folder.path]).isEmpty)
    }
}
