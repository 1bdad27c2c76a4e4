import SMSSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A record taken apart: its layout (encoded), its column values in layout order,
/// its residual members, and what decides where it is stored.
///
/// Everything is bytes, not `String`s or JSON trees: records are taken apart on
/// the reading thread and collected on the writing thread, and the fewer objects
/// cross between them, the less either thread spends allocating and counting references.
package struct ShreddedRecord {
    /// One value of a column token.
    package struct Slot {
        package var column: Int32
        /// Negative for an integer; else the length of a string that starts at `payload` in `text`.
        package var length: Int32
        /// The integer, or the string's offset in `text`.
        package var payload: Int64

        package var isInteger: Bool { length < 0 }

        package init(column: Int32, length: Int32, payload: Int64) {
            self.column = column
            self.length = length
            self.payload = payload
        }
    }

    package enum Value: Equatable {
        case string(String)
        case integer(Int64)
    }

    /// `RecordLayout.encoded()` of the record's layout.
    package var layoutKey: [UInt8]
    /// Values of column tokens other than category and resource ID, in token order.
    package var slots: [Slot]
    /// The UTF-8 of string values and of the effective category and resource ID.
    package var text: [UInt8]
    /// Members outside the schema as the JSON text `[["key",value],...]`, or nil.
    package var residual: [UInt8]?
    package var time: Timestamp
    /// Where in `text` the effective category is, when the record has one.
    package var category: Range<Int>?
    /// Where in `text` the effective resource ID is, when the record has one.
    package var resourceId: Range<Int>?

    /// The layout (decoded from `layoutKey`, which this type's builder wrote).
    package var layout: RecordLayout {
        // The key was written by `RecordLayout`'s own token writers, so it always decodes; every token is allowed.
        try! RecordLayout.decode(layoutKey, columnCount: FieldSchema.columns.count, version: .max,
                                 context: "a record's layout")
    }

    /// The values, for tests and diagnostics.
    package var values: [(column: Int, value: Value)] {
        slots.map { slot in
            (Int(slot.column), slot.isInteger ? .integer(slot.payload) : .string(string(at: Int(slot.payload), length: Int(slot.length))))
        }
    }

    package var categoryString: String? { category.map { string(at: $0.lowerBound, length: $0.count) } }
    package var resourceIdString: String? { resourceId.map { string(at: $0.lowerBound, length: $0.count) } }

    private func string(at offset: Int, length: Int) -> String {
        String(decoding: text[offset..<offset + length], as: UTF8.self)
    }

    package init(layoutKey: [UInt8], slots: [Slot], text: [UInt8], residual: [UInt8]?, time: Timestamp, category: Range<Int>?, resourceId: Range<Int>?) {
        self.layoutKey = layoutKey
        self.slots = slots
        self.text = text
        self.residual = residual
        self.time = time
        self.category = category
        self.resourceId = resourceId
    }
}

/// Builds a `ShreddedRecord` token by token. Both ways of taking a record apart
/// (from a JSON tree, and straight from a line's bytes) go through it, so they
/// write the same bytes for the same record.
package struct ShreddedRecordBuilder {
    // Usable from inline: the fast ingest path (another target) calls the token writers once per member.
    @usableFromInline var layout = LayoutKeyWriter()
    @usableFromInline var slots: [ShreddedRecord.Slot] = []
    /// The record's text is the first `textCount` bytes; the rest is room, kept initialized so
    /// that a value is copied in with one `memcpy` (an `append(contentsOf:)` a value cost several
    /// times the copy). `record(time:)` trims it to the text.
    @usableFromInline var text: [UInt8] = []
    @usableFromInline var textCount = 0
    @usableFromInline var residual: [UInt8] = []
    @usableFromInline var category: Range<Int>?
    @usableFromInline var resourceId: Range<Int>?

    /// A builder with room for a typical record, or with none (`reserving: false`: no allocation).
    package init(reserving: Bool = true) {
        guard reserving else { return }
        slots.reserveCapacity(24)
        text = [UInt8](repeating: 0, count: 512)
    }

    /// Starts the next record, keeping the buffers' room. A builder reused line after line allocates
    /// nothing once the record `record(time:)` gave for the line before is gone (its buffers are
    /// then this builder's alone again).
    package mutating func reset() {
        layout.reset()
        slots.removeAll(keepingCapacity: true)
        // The room trimmed off by the last record given is the text's again.
        if text.count < text.capacity { extendText(by: text.capacity - text.count) }
        textCount = 0
        residual.removeAll(keepingCapacity: true)
        category = nil
        resourceId = nil
    }

    /// Sets the effective category and resource ID (nil when unknown).
    package mutating func setEffective(category: UnsafeBufferPointer<UInt8>?, resourceId: UnsafeBufferPointer<UInt8>?) {
        if let category { self.category = appendText(category) }
        if let resourceId { self.resourceId = appendText(resourceId) }
    }

    @inlinable mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        let start = textCount, end = start + bytes.count
        if end > text.count { growText(to: end) }
        if let source = bytes.baseAddress {
            text.withUnsafeMutableBufferPointer { _ = memcpy($0.baseAddress! + start, source, bytes.count) }
        }
        textCount = end
        return start..<end
    }

    @usableFromInline mutating func growText(to count: Int) {
        extendText(by: Swift.max(count, 2 * text.count, 512) - text.count)
    }

    /// Adds `count` bytes of room at the end of `text` (copied from zeros: one `memcpy`, where
    /// appending a repeated element goes byte by byte).
    @usableFromInline mutating func extendText(by count: Int) {
        var left = count
        while left > 0 {
            let step = Swift.min(left, Self.zeros.count)
            text.append(contentsOf: Self.zeros[..<step])
            left -= step
        }
    }

    private static let zeros = [UInt8](repeating: 0, count: 1 << 16)

    /// A `column`, `quotedInteger` or `numberText` token (op) holding a string value.
    /// Category and resource ID tokens carry no value of their own: pass nil.
    @inlinable package mutating func column(_ op: UInt8, _ column: Int, key: UnsafeBufferPointer<UInt8>, string: UnsafeBufferPointer<UInt8>?) {
        RecordLayout.writeKeyed(op, column: column, key: key, to: &layout)
        if let string {
            let range = appendText(string)
            slots.append(.init(column: Int32(column), length: Int32(range.count), payload: Int64(range.lowerBound)))
        }
    }

    /// A `column` or `quotedInteger` token (op) holding an integer.
    @inlinable package mutating func column(_ op: UInt8, _ column: Int, key: UnsafeBufferPointer<UInt8>, integer: Int64) {
        RecordLayout.writeKeyed(op, column: column, key: key, to: &layout)
        slots.append(.init(column: Int32(column), length: -1, payload: integer))
    }

    @inlinable package mutating func time(key: UnsafeBufferPointer<UInt8>, format: TimeFormat) {
        RecordLayout.writeTime(key: key, format: format, to: &layout)
    }

    /// `objectStart` or `escapedObjectStart` (op).
    @inlinable package mutating func objectStart(_ op: UInt8, key: UnsafeBufferPointer<UInt8>) {
        RecordLayout.writeKeyed(op, column: nil, key: key, to: &layout)
    }

    @inlinable package mutating func objectEnd() {
        layout.byte(RecordLayout.opObjectEnd)
    }

    /// A residual member: its key, and its value written as compact JSON by `writeValue`.
    package mutating func residual(key: UnsafeBufferPointer<UInt8>, writeValue: (inout [UInt8]) -> Void) {
        layout.byte(RecordLayout.opResidual)
        residual.append(residual.isEmpty ? UInt8(ascii: "[") : UInt8(ascii: ","))
        residual.append(UInt8(ascii: "["))
        JSONWriter.writeString(utf8: key, to: &residual)
        residual.append(UInt8(ascii: ","))
        writeValue(&residual)
        residual.append(UInt8(ascii: "]"))
    }

    package consuming func finish(time: Timestamp) -> ShreddedRecord {
        record(time: time)
    }

    /// The record written since `reset()`, sharing the builder's buffers (nothing is copied).
    package mutating func record(time: Timestamp) -> ShreddedRecord {
        if !residual.isEmpty { residual.append(UInt8(ascii: "]")) }
        if text.count > textCount { text.removeSubrange(textCount...) }
        return ShreddedRecord(layoutKey: layout.finish(), slots: slots, text: text, residual: residual.isEmpty ? nil : residual,
                              time: time, category: category, resourceId: resourceId)
    }
}
