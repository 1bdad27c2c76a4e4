import Testing
@testable import SMSArchive

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
        #expect(workspace.category == "acssmsincomingoperations")
        #expect(workspace.hour == Timestamp(iso8601: "2022-09-26T15:00:00Z"))
        #expect(BlobPath(parsing: "some/file.json") == BlobPath())
    }
}
