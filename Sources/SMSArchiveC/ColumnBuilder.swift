#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The Arrow buffers of one column of a batch being built: a validity bitmap, and either fixed-width
/// 64-bit values (time, integers) or 32-bit offsets and UTF-8 bytes (text).
final class ColumnBuilder {
    let isText: Bool
    private(set) var length = 0
    private(set) var nullCount = 0
    private let validity = GrowableBuffer()
    private let values = GrowableBuffer()
    private let offsets = GrowableBuffer()

    init(isText: Bool) {
        self.isText = isText
        if isText { offsets.append(Int32(0)) }
    }

    /// Bytes of text so far: an offset must fit Int32.
    var textBytes: Int { values.count }

    private func nextValid(_ valid: Bool) {
        if length & 7 == 0 { validity.appendZeros(1) }
        if valid { validity.setBit(length) } else { nullCount += 1 }
        length += 1
    }

    func appendNull() {
        nextValid(false)
        if isText { offsets.append(Int32(truncatingIfNeeded: values.count)) } else { values.append(Int64(0)) }
    }

    func append(_ value: Int64) {
        nextValid(true)
        values.append(value)
    }

    func append(text: UnsafeRawBufferPointer) throws {
        guard values.count + text.count <= Int(Int32.max) else {
            throw SMSArchiveCError("a batch's text column passed 2 GiB: ask for fewer rows per batch")
        }
        nextValid(true)
        values.append(text)
        offsets.append(Int32(values.count))
    }

    func append(text: String) throws {
        var text = text
        try text.withUTF8 { try append(text: UnsafeRawBufferPointer($0)) }
    }

    /// The column as an exported Arrow array (its buffers move into it); the builder is empty again.
    func finish() -> ExportedArray {
        let validityBuffer: UnsafeMutableRawPointer?
        if nullCount == 0 {
            validityBuffer = nil
            _ = validity.take().map { free($0) }
        } else {
            validityBuffer = validity.take()
        }
        let buffers = isText ? [validityBuffer, offsets.take(), values.take()] : [validityBuffer, values.take()]
        let array = ExportedArray(length: length, nullCount: nullCount, buffers: buffers, children: [])
        length = 0
        nullCount = 0
        if isText { offsets.append(Int32(0)) }
        return array
    }
}
