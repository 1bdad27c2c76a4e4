/// A record as a block holds it: its time, category and resource for
/// filtering, and its JSON text.
public struct StoredRow: Sendable {
    public var time: Timestamp
    public var category: String?
    public var resourceId: String?
    /// The record's compact JSON text; parse it with `record()`.
    public var document: ArraySlice<UInt8>

    public init(time: Timestamp, category: String?, resourceId: String?, document: ArraySlice<UInt8>) {
        self.time = time
        self.category = category
        self.resourceId = resourceId
        self.document = document
    }

    init(_ record: Record) {
        self.init(time: record.time, category: record.category, resourceId: record.resourceId,
                  document: JSONWriter.bytes(of: record.object)[...])
    }

    /// The record, parsed back from its JSON text.
    public func record() throws -> Record {
        let value = try JSONParser.parseDocument(Array(document))
        guard case .object(let object) = value else {
            throw FormatError.damaged("a stored record is not a JSON object")
        }
        return Record(object: object, time: time, category: category, resourceId: resourceId)
    }
}
