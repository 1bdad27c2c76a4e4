import Foundation
import Testing
@testable import SMSArchive
@testable import SMSFormat

/// `smsarchive trace`: a message's story (its MessageId's records and those sharing their
/// correlationIds), across days and categories, in time order, each record once.
@Suite struct TraceTests {
    static let resource = "/SUBSCRIPTIONS/S/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMMUNICATION/COMMUNICATIONSERVICES/N"

    static func sms(_ time: String, _ operation: String, messageId: String, correlationId: String, result: String = "Succeeded") -> String {
        #"{"time":"\#(time)","resourceId":"\#(resource)","operationName":"\#(operation)","category":"SMSOperational","correlationId":"\#(correlationId)","resultType":"\#(result)","properties":{"PhoneNumber":"+18005550100","MessageId":"\#(messageId)","Country":"US"}}"#
    }

    static func usage(_ time: String, correlationId: String) -> String {
        #"{"time":"\#(time)","resourceId":"\#(resource)","operationName":"Usage","category":"Usage","correlationId":"\#(correlationId)","properties":{"RecordId":"4a1c7b2e-0d3f-4e5a-9b6c-7d8e9f0a1b2c","Quantity":1,"PhoneNumber":"+18005550100","Country":"US"}}"#
    }

    static let sent = "Outgoing_20261001235958" + "1b9d6bcd-bbfd-4b2d-9b5d-ab8dfbbd4bed" + "_noam"
    static let other = "Outgoing_20261001235959" + "2c8e7ade-acfe-4c3e-8c6e-bc9eacce5cfe" + "_noam"
    static let sendCID = "D2ckDR62yRftF6wcDSTH8b.0"

    /// The send, its Usage record (other category) and its delivery report on the next day; another
    /// message; a record whose correlationId differs from the send's by letter case only.
    static let story = [
        sms("2026-10-01T23:59:58.1000000Z", "SMSMessagesSent", messageId: sent, correlationId: sendCID),
        usage("2026-10-01T23:59:58.1500000Z", correlationId: sendCID),
        sms("2026-10-02T00:00:03.0000000Z", "SMSDeliveryReportsReceived", messageId: sent, correlationId: "fBKB6WaD904rx+YfLGqS6Z.0"),
    ]
    static let others = [
        sms("2026-10-01T23:59:59.0000000Z", "SMSMessagesSent", messageId: other, correlationId: "Zz9kDR62yRftF6wcDSTH8b.0"),
        usage("2026-10-01T23:59:59.0500000Z", correlationId: "Zz9kDR62yRftF6wcDSTH8b.0"),
        usage("2026-10-02T00:00:01.0000000Z", correlationId: sendCID.lowercased()),
        sms("2026-10-02T00:00:04.0000000Z", "SMSDeliveryReportsReceived", messageId: other, correlationId: "gCLC7XbE015sy+ZgMHrT7a.0"),
    ]

    static func archive(_ folder: TemporaryFolder) throws -> String {
        // Two blobs, one a day, in an order that is not the time order.
        let first = folder.write("d1/PT1H.json", ([story[0], others[0], story[1], others[1]]).joined(separator: "\n") + "\n")
        let second = folder.write("d2/PT1H.json", ([others[3], story[2], others[2]]).joined(separator: "\n") + "\n")
        return try ArchiveRoundTripTests.convert([first, second], into: folder)
    }

    @Test func aMessagesStoryComesInTimeOrderAcrossDaysAndCategories() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        #expect(try ArchiveReader(path: archive).manifest.segments.count == 2)
        let run = try CommandLineTests.run(["trace", archive, Self.sent])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.map { String(decoding: $0, as: UTF8.self) } == Self.story)
    }

    @Test func twoMessagesAreOneStoryInTimeOrder() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        let run = try CommandLineTests.run(["trace", archive, Self.other, Self.sent])
        #expect(run.status == 0, "\(run.stderr)")
        let expected = [Self.story[0], Self.story[1], Self.others[0], Self.others[1], Self.story[2], Self.others[3]]
        #expect(run.stdoutLines.map { String(decoding: $0, as: UTF8.self) } == expected)
    }

    /// `scan --correlation-id` compares exactly: the id in other letter case is another id.
    @Test func scanFindsACorrelationIdExactly() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        let run = try CommandLineTests.run(["scan", archive, "--correlation-id", Self.sendCID])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdoutLines.map { String(decoding: $0, as: UTF8.self) } == [Self.story[0], Self.story[1]])
        let lower = try CommandLineTests.run(["scan", archive, "--correlation-id", Self.sendCID.lowercased(), "--count"])
        #expect(String(decoding: lower.stdout, as: UTF8.self) == "1\n")
    }

    @Test func aTableHasOneLinePerEvent() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        let run = try CommandLineTests.run(["trace", archive, Self.sent, "--format", "table"])
        #expect(run.status == 0)
        let lines = String(decoding: run.stdout, as: UTF8.self).split(separator: "\n")
        #expect(lines.count == 4)
        #expect(lines[0].hasPrefix("time"))
        #expect(lines[1].contains("SMSMessagesSent") && lines[2].contains("Usage") && lines[3].contains("SMSDeliveryReportsReceived"))
    }

    @Test func anUnknownMessageIdIsNamedAndExitsThree() throws {
        let folder = TemporaryFolder()
        let archive = try Self.archive(folder)
        let missing = "Outgoing_20261001000000" + "00000000-0000-4000-8000-000000000000" + "_noam"
        let none = try CommandLineTests.run(["trace", archive, missing])
        #expect(none.status == 3)
        #expect(none.stdout.isEmpty)
        #expect(none.stderr.contains("no record has MessageId \(missing)"))
        // The others are still printed.
        let some = try CommandLineTests.run(["trace", archive, Self.sent, missing])
        #expect(some.status == 3)
        #expect(some.stdoutLines.count == Self.story.count)
        #expect(try CommandLineTests.run(["trace", archive]).status == 64)
        #expect(try CommandLineTests.run(["trace", folder.path + "/nowhere", Self.sent]).status == 1)
    }

    /// On the benchmark generator's export (sends, delivery reports, Usage records), each traced message's
    /// records are exactly those the raw JSON says: the MessageId's, and those sharing their correlationIds.
    @Test func generatedStoriesMatchTheRawExport() throws {
        let folder = TemporaryFolder()
        let export = folder.path + "/export"
        let generator = try ChildProcess.run(["/usr/bin/env", "python3", repositoryRoot + "/bench/generate_export.py",
                                              "--records", "4000", "--hours", "30", "--gzip-fraction", "0", "--out", export])
        #expect(generator.status == 0, "\(generator.stderr)")
        let archive = try ArchiveRoundTripTests.convert([export], into: folder)

        // The raw records, read independently of smsarchive.
        var records: [(text: String, messageId: String?, correlationId: String?)] = []
        for path in try FileManager.default.subpathsOfDirectory(atPath: export) where path.hasSuffix(".json") {
            for line in try String(contentsOfFile: export + "/" + path, encoding: .utf8).split(separator: "\n") {
                let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let properties = object["properties"] as? [String: Any] ?? object
                let cid = (object["correlationId"] ?? object["CorrelationId"]) as? String
                records.append((String(line), properties["MessageId"] as? String, cid))
            }
        }
        let ids = Array(Set(records.compactMap(\.messageId)).sorted().prefix(200))
        #expect(ids.count >= 50)
        for id in stride(from: 0, to: ids.count, by: 20).map({ ids[$0] }) {
            let cids = Set(records.filter { $0.messageId == id }.compactMap(\.correlationId))
            let expected = records.filter { $0.messageId == id || ($0.correlationId.map(cids.contains) ?? false) }.map(\.text)
            var got: [String] = []
            var times: [Int64] = []
            let found = try ArchiveReader(path: archive).trace(messageIds: [id]) { batch, row in
                var bytes: [UInt8] = []
                try batch.writeJSON(row: row, to: &bytes)
                got.append(String(decoding: bytes, as: UTF8.self))
                times.append(batch.times[row])
                return true
            }
            #expect(found == [id])
            #expect(times == times.sorted())
            #expect(got.sorted() == expected.sorted(), "\(id)")
            #expect(expected.count >= 2, "\(id): a send has at least its Usage record or a delivery report")
        }
    }
}
