import SMSArchive
import SMSFormat
import SMSRecords
import SMSSupport

/// The joins of `stats`: `delivered` (matching sends whose MessageId a successful delivery report
/// names) and `segments` (the Quantity of the Usage records sharing a matching send's correlationId).
///
/// Identifiers are compared as `IdentifierKey`s (their parts, exact, no text made) in
/// `IdentifierIDs` tables. Sends and the records joined to them come in one pass, in any order: a report
/// or Usage record whose send is not known yet waits in a table of its own until the pass ends.
/// Memory: about 70 bytes per distinct identifier of a matching send, and as much per waiting
/// report or Usage record (of the time range plus the join window).
struct SendJoin {
    let delivered: Bool
    let segments: Bool
    private var keyTable = IdentifierKeyTable()
    /// Per distinct MessageId of a matching send: the first group it was seen in, whether a report credited it.
    private var messageIds = IdentifierIDs()
    private var messageGroups: [Int32] = []
    private var credited: [Bool] = []
    /// Successful reports whose send was not known when they were read.
    private var waitingReports = IdentifierIDs()
    /// Per distinct correlationId of a matching send: the first group it was seen in.
    private var correlationIds = IdentifierIDs()
    private var correlationGroups: [Int32] = []
    /// Usage whose send was not known when it was read: per correlationId, the Quantity so far.
    private var waitingUsage = IdentifierIDs()
    private var waitingQuantity: [Int64] = []

    static let sendOperation = "SMSMessagesSent"
    static let deliveryReportOperation = "SMSDeliveryReportsReceived"
    static let quantity = try! Column(named: "Quantity")

    init(delivered: Bool, segments: Bool) {
        self.delivered = delivered
        self.segments = segments
    }

    /// The columns the joined records are recognised and read by.
    var columns: Set<Column> {
        var columns: Set<Column> = []
        if delivered { columns.formUnion([.operationName, .resultType, .messageId]) }
        if segments { columns.formUnion([.category, .correlationId, Self.quantity]) }
        return columns
    }

    /// The columns the matching sends are recognised and remembered by.
    var sendColumns: Set<Column> {
        var columns: Set<Column> = [.operationName]
        if delivered { columns.insert(.messageId) }
        if segments { columns.insert(.correlationId) }
        return columns
    }

    /// Reads one block: remembers the identifiers of the sends among `sendRows` (matching rows),
    /// each with its group in `groups`; reads the successful reports and Usage records among
    /// `joinedRows` (rows of the joined range): credits their sends' groups, or keeps them until `finish`.
    ///
    /// With `sendsComplete` (every block that may hold matching sends was read), a report or Usage
    /// record whose send is unknown has none, and is not kept.
    mutating func add(_ batch: RecordBatch, sendRows: [Int], groups: [Int32], joinedRows: [Int], sendsComplete: Bool,
                      delivered deliveredCounts: inout [Int64], segments segmentSums: inout [Int64]) {
        let operations = batch.stringColumn(.operationName)
        let isSend = Self.entries(operations) { asciiCaseInsensitiveEquals($0, Self.sendOperation) }
        if delivered, var values = values(batch, .messageId) {
            let index = values.rowIndex
            Self.remember(sendRows, groups, isSend, &values, in: &messageIds, &messageGroups)
            if credited.count < messageGroups.count { credited += repeatElement(false, count: messageGroups.count - credited.count) }
            let isReport = Self.entries(operations) { asciiCaseInsensitiveEquals($0, Self.deliveryReportOperation) }
            let succeeded = Self.entries(batch.stringColumn(.resultType)) { asciiCaseInsensitiveEquals($0, "Succeeded") }
            for row in joinedRows where index[row] >= 0 && isReport(row) && succeeded(row) {
                let value = Int(index[row])
                if let id = values.existingID(value, in: messageIds) {
                    if !credited[id] {
                        credited[id] = true
                        deliveredCounts[Int(messageGroups[id])] += 1
                    }
                } else if !sendsComplete {
                    _ = waitingReports.id(values.keys[value])
                }
            }
        }
        if segments, var values = values(batch, .correlationId) {
            let index = values.rowIndex
            Self.remember(sendRows, groups, isSend, &values, in: &correlationIds, &correlationGroups)
            let isUsage = Self.entries(batch.stringColumn(.category)) { asciiCaseInsensitiveEquals($0, "Usage") }
            for row in joinedRows where index[row] >= 0 && isUsage(row) {
                let value = Int(index[row])
                let quantity = batch.integer(Self.quantity, row: row) ?? 0
                if let id = values.existingID(value, in: correlationIds) {
                    segmentSums[Int(correlationGroups[id])] += quantity
                } else if !sendsComplete {
                    let id = waitingUsage.id(values.keys[value])
                    if id == waitingQuantity.count { waitingQuantity.append(0) }
                    waitingQuantity[id] += quantity
                }
            }
        }
    }

    /// Credits the sends of the reports and Usage records that came before them; ends the join.
    mutating func finish(delivered deliveredCounts: inout [Int64], segments segmentSums: inout [Int64]) {
        for key in waitingReports.keys {
            if let id = messageIds.existingID(key), !credited[id] {
                credited[id] = true
                deliveredCounts[Int(messageGroups[id])] += 1
            }
        }
        for (id, key) in waitingUsage.keys.enumerated() {
            if let send = correlationIds.existingID(key) { segmentSums[Int(correlationGroups[send])] += waitingQuantity[id] }
        }
        self = SendJoin(delivered: delivered, segments: segments)
    }

    /// Whether each row's value in `column` satisfies `test`, decided once per dictionary entry
    /// (a row without a value never does).
    static func entries(_ column: (dictionary: [String], ids: [Int32]), _ test: (String) -> Bool) -> (Int) -> Bool {
        let (dictionary, ids) = column
        let accepted = dictionary.map(test)
        return { row in ids[row] >= 0 && accepted[Int(ids[row])] }
    }

    /// Notes the identifier of each send among `rows` with its group (the first group an identifier
    /// was seen in keeps it; the empty text is no identifier).
    private static func remember(_ rows: [Int], _ groups: [Int32], _ isSend: (Int) -> Bool, _ values: inout BlockValues,
                                 in table: inout IdentifierIDs, _ groupOf: inout [Int32]) {
        let index = values.rowIndex
        for (i, row) in rows.enumerated() where index[row] >= 0 && isSend(row) {
            if values.id(Int(index[row]), in: &table) == groupOf.count { groupOf.append(groups[i]) }
        }
    }

    /// A decoded identifier column's values with their keys; nil when the column was not decoded.
    private mutating func values(_ batch: RecordBatch, _ column: Column) -> BlockValues? {
        guard let (chunk, rowIndex) = batch.stringValues(column.position) else { return nil }
        return BlockValues(keys: keyTable.keys(chunk), rowIndex: rowIndex, repeatOf: chunk.repeatOf)
    }
}

/// One block's values of an identifier column and their ids in a join table, each found once: a
/// value that repeats an earlier value of the block (kind 1 or 7 of its chunk: exactly equal, as
/// a delivery report repeats its send's MessageId) takes that value's id without a lookup.
struct BlockValues {
    let keys: [IdentifierKey]
    /// Per row, its value's position (-1: none).
    let rowIndex: [Int32]
    /// Per value, the earlier value it repeats, or -1 (nil: the chunk does not say).
    let repeatOf: [Int32]?
    /// Per value: its id, -1 not looked up yet, -2 not in the table.
    private var ids: [Int32]

    init(keys: [IdentifierKey], rowIndex: [Int32], repeatOf: [Int32]?) {
        self.keys = keys
        self.rowIndex = rowIndex
        self.repeatOf = repeatOf?.count == keys.count ? repeatOf : nil
        ids = [Int32](repeating: -1, count: keys.count)
    }

    /// What is known of value `value` from the value it repeats, if anything.
    private func known(_ value: Int) -> Int32 {
        if ids[value] != -1 { return ids[value] }
        if let repeatOf, repeatOf[value] >= 0 { return ids[Int(repeatOf[value])] }
        return -1
    }

    /// The id of value `value` in `table`, or nil when it is not there. Between `existingID` calls of
    /// one block, `table` must not change.
    mutating func existingID(_ value: Int, in table: IdentifierIDs) -> Int? {
        var id = known(value)
        if id == -1 { id = table.existingID(keys[value]).map(Int32.init) ?? -2 }
        ids[value] = id
        return id >= 0 ? Int(id) : nil
    }

    /// The id of value `value` in `table`, added when new; nil for the empty text (no identifier).
    mutating func id(_ value: Int, in table: inout IdentifierIDs) -> Int? {
        var id = known(value)
        if id < 0 {
            guard !keys[value].isEmpty else { return nil }
            id = Int32(table.id(keys[value]))
        }
        ids[value] = id
        return Int(id)
    }
}
