import SMSRecords
import ArgumentParser
import SMSArchive

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats",
        abstract: "Count, sum and rank the matching records by group: per Country, per day, per sender.",
        discussion: """
        --by names the fields to group by: any column (letter case ignored), or day or hour (UTC). --metrics \
        says what to compute per group: records; failed (resultType Failed); delivered (sends, SMSMessagesSent, \
        with a successful SMSDeliveryReportsReceived of the same MessageId); segments (the sum of Quantity of \
        the Usage records sharing a send's correlationId); duration-p50 and duration-p95 (of durationMs).

        The predicates (--from, --country, ...) choose the records that are grouped and counted. The records \
        joined to them, delivery reports and Usage records, are found by identifier alone, from --from to --to \
        plus --join-window, whatever the other predicates say: a report that came the next day still counts, \
        in the group of its send. Computed on the columns, without reading records as JSON.

        Examples:
          smsarchive stats sms.smsa --by Country
              records per destination country
          smsarchive stats sms.smsa --by day,operationName --metrics records,failed
              each day's count of each operation, and how many failed
          smsarchive stats sms.smsa --since 24h --operation SMSMessagesSent \\
            --by Country --metrics records,delivered,segments --sort records
              the last day's sends per country, how many were delivered and the
              segments billed, busiest country first
          smsarchive stats sms.smsa --by hour,NumberType --format html -o report.html
              a page with a chart of records per hour, one line per number type
          smsarchive stats sms.smsa --result Failed --by resultSignature --format csv
              failures per status code, as CSV
        """
    )

    @Argument(help: ArgumentHelp("The archive folder.", valueName: "archive"))
    var archive: String

    @OptionGroup var filter: RecordFilterOptions

    @Option(help: ArgumentHelp("Group by these fields, comma-separated: column names, day or hour (UTC).", valueName: "a,b,..."))
    var by: String

    @Option(help: ArgumentHelp("What to compute per group, comma-separated: records, failed, delivered, segments, duration-p50, duration-p95.", valueName: "a,b,..."))
    var metrics: String = "records"

    @Option(help: ArgumentHelp("Order the groups by this metric, largest first (else by the group keys).", valueName: "metric"))
    var sort: String?

    @Option(help: ArgumentHelp("Output format: table, csv, jsonl or html (a page with the table and a chart).", valueName: "format"))
    var format: StatsFormat = .table

    // Unconditional: `--join-window -5m` reaches the check below ("not negative") instead of reading as an option.
    @Option(name: .customLong("join-window"), parsing: .unconditional, help: ArgumentHelp("How long after --to a delivery report or Usage record may come and still count (e.g. 90m, 24h, 7d).", valueName: "duration"))
    var joinWindow: String = "24h"

    @Option(name: [.short, .long], help: ArgumentHelp("Write to this file instead of standard output (replaced if it exists; written under a temporary name, then renamed).", valueName: "file"))
    var output: String?

    /// The options, read: keys, metrics, the sort metric's position among them, and the join window in ticks.
    struct Plan {
        var keys: [GroupKey]
        var metrics: [StatsMetric]
        var sortIndex: Int?
        var joinWindow: Int64
    }

    func plan() throws -> Plan {
        do {
            let keys = try GroupKey.parse(by)
            let metrics = try StatsMetric.parse(metrics)
            var sortIndex: Int?
            if let sort {
                guard let metric = StatsMetric(rawValue: sort.lowercased()) else {
                    throw StatsUsageError("--sort: no metric '\(sort)'; metrics are: \(StatsMetric.allNames)")
                }
                guard let index = metrics.firstIndex(of: metric) else {
                    throw StatsUsageError("--sort \(metric.rawValue) is not among --metrics \(metrics.map(\.rawValue).joined(separator: ","))")
                }
                sortIndex = index
            }
            if joinWindow.hasPrefix("-") {
                throw StatsUsageError("--join-window '\(joinWindow)' is negative: it is how long after --to a report may come, 0m or more")
            }
            guard let window = TimeBound.duration(joinWindow) else {
                throw StatsUsageError("--join-window '\(joinWindow)' is not a duration: a whole number and a unit, m, h or d (e.g. 90m, 24h, 7d)")
            }
            return Plan(keys: keys, metrics: metrics, sortIndex: sortIndex, joinWindow: window)
        } catch let error as StatsUsageError {
            throw ValidationError(error.description)
        }
    }

    func validate() throws {
        if let output, OutputFile.isInside(output, archive: archive) { throw OutputFile.insideArchiveError(output, archive: archive) }
        _ = try plan()
    }

    func run() throws {
        let plan = try plan()
        try failingLoudly {
            let reader = try ArchiveReader(path: archive)
            var aggregator = StatsAggregator(keys: plan.keys, metrics: plan.metrics, joinWindow: plan.joinWindow)
            let rows = try aggregator.run(reader, filter.query()).sorted(byMetricAt: plan.sortIndex)
            let text: String
            if format == .html {
                text = StatsReport(keys: plan.keys, metrics: plan.metrics, rows: rows,
                                   title: "smsarchive stats --by \(plan.keys.map(\.name).joined(separator: ","))",
                                   subtitle: filter.summary, chartMetric: plan.sortIndex,
                                   sendsOnly: filter.operation.count == 1 && asciiCaseInsensitiveEquals(filter.operation[0], SendJoin.sendOperation)).html()
            } else {
                text = StatsPrinter(keys: plan.keys, metrics: plan.metrics).text(rows, format: format)
            }
            let file = try OutputFile(path: output, replacing: true)
            file.out.write(text)
            try file.commit()
        }
    }
}

extension StatsFormat: ExpressibleByArgument {}
