import SMSRecords
import SMSSupport
import ParquetWriter

/// What an incremental Parquet export keeps in its output folder, `_smsarchive_lake.json`
/// (Spark, Hive and pyarrow skip names starting with `_`; no `*.parquet` glob matches it):
/// the time unit the files were written with, and the fingerprint (see `DayFingerprints`)
/// of each day as it was exported. A Delta table keeps the fingerprints in its log instead.
struct LakeState: Equatable {
    static let fileName = "_smsarchive_lake.json"
    static let currentVersion = 1

    var timeUnit: TimeUnit
    /// Day → fingerprint of the archive's segments when the day was exported.
    var days: [String: String] = [:]

    static func name(of unit: TimeUnit) -> String {
        switch unit {
        case .nanos: return "nanos"
        case .micros: return "micros"
        case .millis: return "millis"
        }
    }

    func encoded() -> [UInt8] {
        var out = Array("{\"format\":\"smsarchive-lake\",\"version\":\(Self.currentVersion),\"table\":\"parquet\",\"timeUnit\":\"\(Self.name(of: timeUnit))\",\"days\":{".utf8)
        for (i, day) in days.keys.sorted().enumerated() {
            out.append(contentsOf: (i == 0 ? "\n" : ",\n").utf8)
            JSONWriter.write(.string(day), to: &out)
            out.append(UInt8(ascii: ":"))
            JSONWriter.write(.string(days[day]!), to: &out)
        }
        out.append(contentsOf: "\n}}\n".utf8)
        return out
    }

    /// Reads the state file at `path`; throws `LakeError.damagedState` naming what is wrong.
    static func read(_ path: String) throws -> LakeState {
        func bad(_ what: String) -> LakeError { .damagedState(path, what) }
        let value: JSONValue
        do { value = try JSONParser.parseDocument(try FileIO.readAll(path)) } catch let error as JSONParseError {
            throw bad("not valid JSON (\(error.message))")
        }
        guard let root = value.objectValue, root["format"]?.stringValue == "smsarchive-lake" else { throw bad("not an smsarchive lake state") }
        guard case .number(let version)? = root["version"], version == String(currentVersion) else {
            throw bad("state version \(root["version"].map { String(decoding: JSONWriter.bytes(of: $0), as: UTF8.self) } ?? "missing"); this build reads \(currentVersion)")
        }
        guard root["table"]?.stringValue == "parquet" else { throw bad("table is not \"parquet\"") }
        let units: [String: TimeUnit] = ["nanos": .nanos, "micros": .micros, "millis": .millis]
        guard let unitName = root["timeUnit"]?.stringValue, let unit = units[unitName] else { throw bad("no valid timeUnit") }
        guard let dayObject = root["days"]?.objectValue else { throw bad("no days object") }
        var state = LakeState(timeUnit: unit)
        for member in dayObject.members {
            guard DayFingerprints.range(of: member.key) != nil, member.key.utf8.count == 10,
                  let fingerprint = member.value.stringValue, fingerprint.utf8.count == 16 else {
                throw bad("day entry \"\(member.key)\" is not a date with a 16-digit fingerprint")
            }
            state.days[member.key] = fingerprint
        }
        return state
    }
}

/// Why an incremental or Delta export could not be made.
package enum LakeError: Error, Sendable, CustomStringConvertible {
    /// The output folder has files but is not a lake this program keeps (no state file, no Delta log).
    case notALake(String, String)
    /// The state file is unreadable or not ours.
    case damagedState(String, String)
    /// The lake was written differently (format, time unit) from what this export asks for.
    case incompatible(String, String)
    /// The Delta log is not one this program can extend.
    case deltaLog(String, String)
    /// Another writer committed the version this export was about to.
    case concurrentCommit(String, Int)

    package var description: String {
        switch self {
        case .notALake(let path, let why): return "\(path): not a lake written by export --incremental or --format delta (\(why)); export into an empty or new folder"
        case .damagedState(let path, let why): return "\(path): damaged lake state: \(why); remove the output folder and export again"
        case .incompatible(let path, let why): return "\(path): \(why)"
        case .deltaLog(let path, let why): return "\(path): \(why)"
        case .concurrentCommit(let path, let version): return "\(path): version \(version) was committed by another writer while this export ran; nothing was committed (run it again)"
        }
    }
}
