/// The segment format versions, by what each introduced (`man/smsarchive-format.5` is the authority).
/// A segment is written at the oldest version that can hold it, so older readers read what they can.
package enum SegmentVersion {
    /// Row documents: each block holds its records' JSON text.
    package static let rowDocuments: UInt32 = 1
    /// Columnar blocks, record layouts and a residual column.
    package static let columnar: UInt32 = 2
    /// Layout tokens 6 to 9: a value of another JSON type than its column's (type drift).
    package static let typeDrift: UInt32 = 3
    /// The `linkedStrings` and `rowIdentifiers` encodings.
    package static let linkedColumns: UInt32 = 4
    /// Every column decodes alone (no `linkedStrings`), and Bloom filters also hold correlationId.
    package static let columnsAlone: UInt32 = 5
}
