import SMSFormat
import SMSRecords

/// Writes one column's values of a batch as JSON, with what every row needs worked
/// out once per batch: which value a row has, and for a dictionary column each
/// entry's JSON text, all in flat arrays.
///
/// Writing a whole archive as JSON spends most of its time here; one object per
/// column keeps that path to one reference count per value.
package final class ColumnJSONWriter {
    /// Per row, the position of its value in the chunk, or -1.
    private let rowIndex: [Int32]
    /// Dictionary columns: every entry's JSON string literal, one after another, and where each starts.
    private let entryText: [UInt8]
    private let entryStart: [Int32]
    /// Dictionary columns: per value, its entry.
    private let ids: [Int32]
    /// Other string columns (identifiers, made on demand).
    private let chunk: StringChunk?
    private let integers: [Int64]?

    package init(rowIndex: [Int32], strings: StringChunk) {
        self.rowIndex = rowIndex
        integers = nil
        if case .dictionary(let entries, let ids) = strings.storage {
            var text: [UInt8] = []
            var starts: [Int32] = [0]
            starts.reserveCapacity(entries.count + 1)
            for entry in entries {
                JSONWriter.writeString(entry, to: &text)
                starts.append(Int32(text.count))
            }
            entryText = text
            entryStart = starts
            self.ids = ids
            chunk = nil
        } else {
            entryText = []
            entryStart = []
            ids = []
            chunk = strings
        }
    }

    package init(rowIndex: [Int32], integers: [Int64]) {
        self.rowIndex = rowIndex
        self.integers = integers
        entryText = []
        entryStart = []
        ids = []
        chunk = nil
    }

    /// Appends row `row`'s value; false when the row has none.
    package func write(row: Int, to out: inout [UInt8]) -> Bool {
        let i = Int(rowIndex[row])
        guard i >= 0 else { return false }
        if let integers {
            appendDecimal(integers[i], to: &out)
        } else if let chunk {
            JSONWriter.writeString(chunk[i], to: &out)
        } else {
            let entry = Int(ids[i])
            entryText.withUnsafeBufferPointer { text in
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[Int(entryStart[entry])..<Int(entryStart[entry + 1])]))
            }
        }
        return true
    }
}
