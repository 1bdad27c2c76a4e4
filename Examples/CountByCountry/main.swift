// The README's aggregation example as a program: records per Country, read from the Country
// column alone. `swift run -c release CountByCountry ARCHIVE` prints "country<TAB>count" lines,
// the largest count first. Not a product: it exists to be timed (see bench/README.md).
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SMSArchive

guard CommandLine.arguments.count == 2 else {
    _ = "usage: CountByCountry ARCHIVE\n".withCString { write(2, $0, strlen($0)) }
    exit(64)
}
let archive = try ArchiveReader(path: CommandLine.arguments[1])
var query = ScanQuery()
query.columns = [.country]                               // decode the Country column and nothing else
var counts: [String: Int] = [:]
try archive.scanBatches(query) { batch, rows in
    let (countries, ids) = batch.stringColumn(.country)  // per row: its index in `countries`, -1 when absent
    var perID = [Int](repeating: 0, count: countries.count)
    for row in rows where ids[row] >= 0 { perID[Int(ids[row])] += 1 }
    for (id, n) in perID.enumerated() where n > 0 { counts[countries[id], default: 0] += n }
    return true
}
for (country, n) in counts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) { print("\(country)\t\(n)") }
