/// A field that an archive stores as a typed column of its own: a query can test it, and a batch
/// hands out its values without decoding the other columns or rebuilding any JSON.
///
/// The columns are the documented fields of SMS Operational and Usage records, plus the record's
/// time, category and resource (``all`` lists them). A field matches its column by name, ignoring
/// ASCII letter case, whether it sits at the top level of a record or under `properties`. Fields
/// outside these columns are kept too, in each record's JSON (see `RecordBatch.record(row:)` in
/// SMSArchive).
///
/// The most used columns have static members, such as ``phoneNumber``; every column can be had by
/// name with ``init(named:)``.
///
/// ```swift
/// let country = try Column(named: "country")   // letter case is ignored
/// print(country.name, country.kind)             // Country string
/// let phone = Column.phoneNumber
/// let duration = try Column(named: "durationMs") // kind: .integer
/// ```
public struct Column: Hashable, Sendable, CustomStringConvertible {
    /// What a column's values are.
    public enum Kind: Sendable, Hashable {
        /// The record's time, as 100 ns ticks since 1970-01-01T00:00:00Z (see `Timestamp`).
        case time
        /// Text.
        case string
        /// A 64-bit signed integer, written in the record as a JSON integer.
        case integer
    }

    /// The column's position in `FieldSchema.columns`, as the segment format numbers it.
    package let position: Int

    package init(position: Int) {
        self.position = position
    }

    /// The column of the field `name`, matched ignoring ASCII letter case.
    ///
    /// `_ResourceId`, the name workspace exports use, is another name of ``resourceId``; `time`
    /// names the ``time`` column (records call the field `time`, `TimeGenerated` or `timestamp`).
    ///
    /// - Parameter name: A field name, such as `"PhoneNumber"` or `"resultType"`.
    /// - Throws: ``UnknownColumnError`` when no column has that name; its description lists the columns.
    public init(named name: String) throws(UnknownColumnError) {
        // The time is not looked up by field (records name it `time`, `TimeGenerated` or `timestamp`).
        if asciiCaseInsensitiveEquals(name, FieldSchema.columns[FieldSchema.time].name) {
            self = .time
            return
        }
        guard let position = FieldSchema.column(named: name), Column.all.contains(where: { $0.position == position }) else {
            throw UnknownColumnError(name: name)
        }
        self.position = position
    }

    /// The field name, in the spelling of the documentation (`PhoneNumber`, `resultType`).
    public var name: String { FieldSchema.columns[position].name }

    /// What the column's values are.
    public var kind: Kind {
        switch FieldSchema.columns[position].type {
        case .time: return .time
        case .integer: return .integer
        default: return .string
        }
    }

    /// The column's name: the same as ``name``.
    public var description: String { name }

    /// Every column: the time, category and resource ID, and the 26 fields of SMS Operational and
    /// Usage records, in the order the format stores them.
    public static let all: [Column] = FieldSchema.columns.indices
        .filter { ![FieldSchema.layout, FieldSchema.residual, FieldSchema.combined].contains($0) }
        .map(Column.init(position:))

    /// The record's time (its `time` field, `TimeGenerated` in rows from Log Analytics, or
    /// `timestamp`): the one column of kind `.time`.
    public static let time = Column(position: FieldSchema.time)
    /// The record's category (`SMSOperational`, `Usage`), else the one its blob's path names;
    /// unknown when neither has one.
    public static let category = Column(position: FieldSchema.category)
    /// The record's Azure resource ID (or `_ResourceId`), else the one its blob's path names;
    /// unknown when neither has one.
    public static let resourceId = Column(position: FieldSchema.resourceId)
    /// `operationName`, for example `SMSMessagesSent` or `SMSDeliveryReportsReceived`.
    public static let operationName = named("operationName")
    /// `resultType`, for example `Succeeded` or `Failed`.
    public static let resultType = named("resultType")
    /// `PhoneNumber`: compared exactly by queries.
    public static let phoneNumber = named("PhoneNumber")
    /// `Country`, the ISO 3166 code of the phone number's country.
    public static let country = named("Country")
    /// `MessageId`: compared exactly by queries.
    public static let messageId = named("MessageId")
    /// `correlationId`, shared by a send and its delivery reports.
    public static let correlationId = named("correlationId")

    private static func named(_ name: String) -> Column {
        // The names above are the schema's own; a miss is a programming error caught by the tests.
        Column(position: FieldSchema.column(named: name)!)
    }
}

/// A column name that no column has.
public struct UnknownColumnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The name asked for.
    public var name: String

    /// A message for people that names the column asked for and lists the columns there are.
    public var description: String {
        "no column named \"\(name)\"; the columns are " + Column.all.map(\.name).joined(separator: ", ")
    }
}
