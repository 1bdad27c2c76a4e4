import SMSRecords

/// A row of a version-1 (row-document) block: its time, category and resource,
/// and its JSON text. Only the version-1 writer takes it, which tests use to
/// keep the old version's reader honest; version-2 segments hold columns.
package struct StoredRow: Sendable {
    package var time: Timestamp
    package var category: String?
    package var resourceId: String?
    /// The record's compact JSON text.
    package var document: ArraySlice<UInt8>
}
