/// A row of a version-1 (row-document) block: its time, category and resource,
/// and its JSON text. Only the version-1 writer takes it, which tests use to
/// keep the old version's reader honest; version-2 segments hold columns.
struct StoredRow: Sendable {
    var time: Timestamp
    var category: String?
    var resourceId: String?
    /// The record's compact JSON text.
    var document: ArraySlice<UInt8>
}
