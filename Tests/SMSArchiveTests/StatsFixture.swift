import Foundation
import Testing
@testable import SMSArchive

/// A generated export (bench/generate_export.py, two days) plus hand-made records of Country ZZ,
/// converted; and `stats` expectations computed from the raw JSON by Python, independently of smsarchive.
///
/// The hand-made records, all on 2026-10-01 unless said (sends have the durations given):
/// - a send at 23:59:58.5 (durationMs 40), its Usage (Quantity 3), and its successful delivery
///   report at 00:00:04 the next day;
/// - a send at 12:00 (durationMs 5000) with its Usage (Quantity 2) and no delivery report;
/// - a send at 13:00 (durationMs 60) with its Usage (Quantity 1) and a failed delivery report at 13:00:05.
struct StatsFixture {
    let folder = TemporaryFolder()
    let export: String
    let extra: String
    let archive: String

    /// - Parameters:
    ///   - blockRows: the archive's rows per block (default: the writer's).
    ///   - reportsFirst: the hand-made delivery reports are archived by a run of their own before the
    ///     rest, so that a scan meets them before their sends.
    init(blockRows: Int? = nil, reportsFirst: Bool = false) throws {
        export = folder.path + "/export"
        let generator = try ChildProcess.run(["/usr/bin/env", "python3", repositoryRoot + "/bench/generate_export.py",
                                              "--records", "6000", "--hours", "48", "--gzip-fraction", "0", "--out", export])
        #expect(generator.status == 0, "\(generator.stderr)")
        var options = ArchiveWriter.Options()
        if let blockRows { options.blockRows = blockRows }
        guard reportsFirst else {
            extra = folder.write("extra/PT1H.json", Self.handMade.joined(separator: "\n") + "\n")
            archive = try ArchiveRoundTripTests.convert([export, extra], into: folder, options: options)
            return
        }
        let isReport = { (line: String) in line.contains("SMSDeliveryReportsReceived") }
        let reports = folder.write("extra/a/PT1H.json", Self.handMade.filter(isReport).joined(separator: "\n") + "\n")
        let rest = folder.write("extra/b/PT1H.json", Self.handMade.filter { !isReport($0) }.joined(separator: "\n") + "\n")
        extra = folder.path + "/extra"
        archive = try ArchiveRoundTripTests.convert([reports], into: folder, options: options)
        _ = try ArchiveRoundTripTests.convert([export, rest], into: folder, options: options)
    }

    static func send(_ time: String, mid: String, cid: String, duration: Int) -> String {
        #"{"time":"\#(time)","resourceId":"/R","operationName":"SMSMessagesSent","category":"SMSOperational","correlationId":"\#(cid)","resultType":"Succeeded","resultSignature":202,"durationMs":\#(duration),"properties":{"PhoneNumber":"+15550001","Country":"ZZ","MessageId":"\#(mid)","NumberType":"LongCodeNumber"}}"#
    }

    static func usage(_ time: String, cid: String, quantity: Int) -> String {
        #"{"time":"\#(time)","resourceId":"/R","operationName":"Usage","category":"Usage","correlationId":"\#(cid)","properties":{"RecordId":"r-\#(cid)","UsageType":"SMS","UnitType":"Message","Quantity":\#(quantity),"PhoneNumber":"+15550001","Country":"ZZ","Direction":"Outgoing"}}"#
    }

    static func report(_ time: String, mid: String, result: String) -> String {
        #"{"time":"\#(time)","resourceId":"/R","operationName":"SMSDeliveryReportsReceived","category":"SMSOperational","correlationId":"dr-\#(mid)","resultType":"\#(result)","resultSignature":200,"durationMs":30,"properties":{"PhoneNumber":"+15550001","Country":"ZZ","MessageId":"\#(mid)"}}"#
    }

    static let handMade = [
        send("2026-10-01T23:59:58.5Z", mid: "Outgoing_zz_next_day", cid: "zz-next-day", duration: 40),
        usage("2026-10-01T23:59:58.6Z", cid: "zz-next-day", quantity: 3),
        report("2026-10-02T00:00:04Z", mid: "Outgoing_zz_next_day", result: "Succeeded"),
        send("2026-10-01T12:00:00Z", mid: "Outgoing_zz_no_report", cid: "zz-no-report", duration: 5000),
        usage("2026-10-01T12:00:00.1Z", cid: "zz-no-report", quantity: 2),
        send("2026-10-01T13:00:00Z", mid: "Outgoing_zz_failed_report", cid: "zz-failed-report", duration: 60),
        usage("2026-10-01T13:00:00.1Z", cid: "zz-failed-report", quantity: 1),
        report("2026-10-01T13:00:05Z", mid: "Outgoing_zz_failed_report", result: "Failed"),
    ]

    /// Runs `smsarchive stats ARCHIVE arguments --format jsonl`: its rows as objects.
    func stats(_ arguments: [String]) throws -> [[String: Any]] {
        let run = try CommandLineTests.run(["stats", archive] + arguments + ["--format", "jsonl"])
        #expect(run.status == 0, "\(run.stderr)")
        return try run.stdoutLines.map { try #require(try JSONSerialization.jsonObject(with: $0) as? [String: Any]) }
    }

    /// Python's rows for `--by by` over [from, to) with the predicates `where` (field → accepted values),
    /// joined records read until `to` plus `windowSeconds`: each [key values..., records, failed,
    /// delivered, segments, p50, p95] with percentiles exact (nearest rank), null when no duration.
    func expected(by: [String], from: String?, to: String?, windowSeconds: Int, where filters: [String: [String]] = [:]) throws -> [[Any]] {
        let config: [String: Any] = ["by": by, "from": from ?? NSNull(), "to": to ?? NSNull(), "window": windowSeconds, "where": filters]
        let text = String(decoding: try JSONSerialization.data(withJSONObject: config), as: UTF8.self)
        return try #require(try Python.json(Self.script, [text, export, extra]) as? [[Any]])
    }

    /// Reads every blob line as JSON (storage shape with `properties`, or flat Log Analytics rows), by field name
    /// ignoring case, and computes the metrics as smsarchive(1) defines them.
    static let script = #"""
import json, os, sys, datetime as dt, math
config = json.loads(sys.argv[1])
def ticks(s):
    base = dt.datetime.strptime(s[:19], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=dt.timezone.utc)
    frac = s[19:].rstrip("Z")
    digits = frac[1:] if frac.startswith(".") else ""
    return int(base.timestamp()) * 10_000_000 + int((digits + "0000000")[:7])
def bound(s):
    if s is None: return None
    return ticks(s if "T" in s else s + "T00:00:00Z")
records = []
for root in sys.argv[2:]:
    paths = [root] if os.path.isfile(root) else [os.path.join(d, f) for d, _, fs in os.walk(root) for f in fs if f.endswith(".json")]
    for path in paths:
        for line in open(path, encoding="utf-8"):
            if not line.strip(): continue
            obj = json.loads(line)
            flat = {}
            for k, v in obj.items():
                if isinstance(v, dict):
                    for k2, v2 in v.items(): flat.setdefault(k2.lower(), v2)
                else:
                    flat.setdefault(k.lower(), v)
            time = flat.get("time") or flat.get("timegenerated")
            flat["_ticks"] = ticks(time)
            flat["_day"] = time[:10]
            flat["_hour"] = time[:13] + ":00Z"
            records.append(flat)
lo, hi = bound(config["from"]), bound(config["to"])
join_hi = None if hi is None else hi + config["window"] * 10_000_000
def within(r, hi):
    return (lo is None or r["_ticks"] >= lo) and (hi is None or r["_ticks"] < hi)
def matches(r):
    for field, values in config["where"].items():
        v = r.get(field.lower())
        if v is None or not any(str(v).lower() == x.lower() for x in values): return False
    return True
def key_of(r):
    out = []
    for name in config["by"]:
        n = name.lower()
        out.append(r["_" + n] if n in ("day", "hour") else r.get(n))
    return tuple(out)
groups = {}
sends_mid, sends_cid = {}, {}
for r in records:
    if not within(r, hi) or not matches(r): continue
    k = key_of(r)
    g = groups.setdefault(k, {"records": 0, "failed": 0, "delivered": set(), "segments": 0, "durations": []})
    g["records"] += 1
    if str(r.get("resulttype", "")).lower() == "failed": g["failed"] += 1
    if isinstance(r.get("durationms"), int): g["durations"].append(r["durationms"])
    if r.get("operationname") == "SMSMessagesSent":
        if r.get("messageid"): sends_mid.setdefault(r["messageid"], k)
        if r.get("correlationid"): sends_cid.setdefault(r["correlationid"], k)
for r in records:
    if not within(r, join_hi): continue
    if r.get("operationname") == "SMSDeliveryReportsReceived" and r.get("resulttype") == "Succeeded" and r.get("messageid") in sends_mid:
        groups[sends_mid[r["messageid"]]]["delivered"].add(r["messageid"])
    if r.get("category") == "Usage" and r.get("correlationid") in sends_cid:
        groups[sends_cid[r["correlationid"]]]["segments"] += r.get("quantity") or 0
def pct(values, p):
    if not values: return None
    values = sorted(values)
    return values[max(1, math.ceil(p * len(values) / 100)) - 1]
rows = []
for k in sorted(groups, key=lambda k: [(v is not None, v if v is not None else "") for v in k]):
    g = groups[k]
    rows.append(list(k) + [g["records"], g["failed"], len(g["delivered"]), g["segments"], pct(g["durations"], 50), pct(g["durations"], 95)])
print(json.dumps(rows))
"""#

    static let allMetrics = ["records", "failed", "delivered", "segments", "duration-p50", "duration-p95"]

    /// Checks `stats` rows (jsonl objects) against Python's, key by key and metric by metric: counts exactly;
    /// percentiles exactly below 2048 ms, else at most 0.1% below the exact value (the histogram's buckets).
    static func compare(_ got: [[String: Any]], _ expected: [[Any]], by: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(got.count == expected.count, "\(got.count) groups, Python has \(expected.count)", sourceLocation: sourceLocation)
        for (row, want) in zip(got, expected) {
            let keys = by.map { row[$0].map { $0 is NSNull ? "null" : "\($0)" } ?? "absent" }
            let wantKeys = want.prefix(by.count).map { $0 is NSNull ? "null" : "\($0)" }
            #expect(keys == Array(wantKeys), sourceLocation: sourceLocation)
            for (i, metric) in allMetrics.enumerated() {
                let value = row[metric] as? Int, exact = want[by.count + i] as? Int
                if metric.hasPrefix("duration"), let exact, exact >= 2048, let value {
                    #expect(value <= exact && exact - value <= exact / 1000, "\(keys) \(metric): \(value) for \(exact)", sourceLocation: sourceLocation)
                } else {
                    #expect(value == exact, "\(keys) \(metric): \(String(describing: value)), Python \(String(describing: exact))", sourceLocation: sourceLocation)
                }
            }
        }
    }
}
