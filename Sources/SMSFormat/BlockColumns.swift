import SMSRecords

/// The values of one block, column by column: what an encoder writes and a
/// decoder gives back (before dictionaries and ids).
package struct BlockColumns {
    package var times: [Int64] = []
    /// Ids into the segment's layout list.
    package var layoutIDs: [Int64] = []
    /// String columns by column id; category and resource ID have a value per row ("" for unknown),
    /// the others one per row whose layout has them. Without the columns in `stringIDs`.
    package var strings: [Int: [String]] = [:]
    /// String columns (and the residuals, as `FieldSchema.residual`) given as ids into
    /// `segmentStrings` instead of in `strings` and `residuals`: equal ids for equal bytes, so
    /// encoders need not hash the strings again. Only from `SegmentBuilder.columns(of:stringsAsIDs:)`.
    package var stringIDs: [Int: [UInt32]] = [:]
    /// The strings of `stringIDs`, by id.
    package var segmentStrings: [String] = []
    /// The identifier columns (`BlockEncoder.identifierColumns`) as UTF-8 instead of in `strings`:
    /// only from `SegmentBuilder.columns(of:stringsAsIDs:)`.
    package var identifiers: [Int: TextColumn] = [:]
    package var integers: [Int: [Int64]] = [:]
    /// One per row whose layout has residual tokens.
    package var residuals: [String] = []
    /// Per layout id, bit c set when its rows have a value in column c.
    package var layoutMasks: [UInt64] = []

    package init(times: [Int64] = [], layoutIDs: [Int64] = [], strings: [Int: [String]] = [:], stringIDs: [Int: [UInt32]] = [:], segmentStrings: [String] = [], integers: [Int: [Int64]] = [:], residuals: [String] = [], layoutMasks: [UInt64] = []) {
        self.times = times
        self.layoutIDs = layoutIDs
        self.strings = strings
        self.stringIDs = stringIDs
        self.segmentStrings = segmentStrings
        self.integers = integers
        self.residuals = residuals
        self.layoutMasks = layoutMasks
    }
}
