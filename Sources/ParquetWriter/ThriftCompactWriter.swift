/// Writes Thrift structures in the compact protocol, the encoding of every
/// Parquet header and of the file footer.
///
/// Reference: Thrift's compact protocol specification
/// (https://github.com/apache/thrift/blob/master/doc/specs/thrift-compact-protocol.md)
/// and `parquet.thrift` in https://github.com/apache/parquet-format for the
/// structures themselves.
///
/// Fields are written in increasing id order within a struct; a field header is one
/// byte (`delta << 4 | type`) when the id is 1 to 15 above the previous field's,
/// else the type byte and the id as a zigzag varint. A struct ends with a stop byte 0.
public struct ThriftCompactWriter {
    /// The compact protocol's type codes, as they appear in field and list headers.
    public enum CompactType: UInt8, Sendable {
        case booleanTrue = 1
        case booleanFalse = 2
        case byte = 3
        case i16 = 4
        case i32 = 5
        case i64 = 6
        case double = 7
        case binary = 8
        case list = 9
        case set = 10
        case map = 11
        case `struct` = 12

        /// The code of a boolean element inside a list (both values share one code there).
        public static let boolean = booleanTrue
    }

    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    /// The id of the previous field of the struct being written.
    private var lastFieldID: Int16 = 0
    /// The previous field ids of the enclosing structs.
    private var enclosing: [Int16] = []

    /// An empty writer, positioned at the start of a top-level struct.
    public init() {}

    // MARK: Fields

    /// Writes a field header: short form when the id delta fits 4 bits.
    public mutating func fieldHeader(_ id: Int16, _ type: CompactType) {
        let delta = Int(id) - Int(lastFieldID)
        if delta > 0 && delta <= 15 {
            bytes.append(UInt8(delta) << 4 | type.rawValue)
        } else {
            bytes.append(type.rawValue)
            writeVarint(Self.zigzag(Int64(id)))
        }
        lastFieldID = id
    }

    /// A boolean field: its value is carried by the header's type code, with no body.
    public mutating func bool(_ id: Int16, _ value: Bool) {
        fieldHeader(id, value ? .booleanTrue : .booleanFalse)
    }

    /// An i8 field, written as one byte.
    public mutating func byte(_ id: Int16, _ value: Int8) {
        fieldHeader(id, .byte)
        bytes.append(UInt8(bitPattern: value))
    }

    /// An i16 field, as a zigzag varint.
    public mutating func i16(_ id: Int16, _ value: Int16) {
        fieldHeader(id, .i16)
        writeVarint(Self.zigzag(Int64(value)))
    }

    /// An i32 field (also every Thrift enum), as a zigzag varint.
    public mutating func i32(_ id: Int16, _ value: Int32) {
        fieldHeader(id, .i32)
        writeVarint(Self.zigzag(Int64(value)))
    }

    /// An i64 field, as a zigzag varint.
    public mutating func i64(_ id: Int16, _ value: Int64) {
        fieldHeader(id, .i64)
        writeVarint(Self.zigzag(value))
    }

    /// A binary field: varint length, then the bytes.
    public mutating func binary(_ id: Int16, _ value: [UInt8]) {
        fieldHeader(id, .binary)
        writeBinaryBody(value)
    }

    /// A string field: binary of its UTF-8 bytes.
    public mutating func string(_ id: Int16, _ value: String) {
        binary(id, Array(value.utf8))
    }

    /// Starts a struct-valued field; end it with `endStruct()`.
    public mutating func beginStruct(_ id: Int16) {
        fieldHeader(id, .struct)
        beginStruct()
    }

    /// Starts a struct without a field header: a list element.
    public mutating func beginStruct() {
        enclosing.append(lastFieldID)
        lastFieldID = 0
    }

    /// Ends the struct begun last: the stop byte, and the enclosing struct's field ids resume.
    public mutating func endStruct() {
        bytes.append(0)
        lastFieldID = enclosing.popLast() ?? 0
    }

    /// A struct-valued field with no fields (such as Parquet's `StringType`).
    public mutating func emptyStruct(_ id: Int16) {
        beginStruct(id)
        endStruct()
    }

    /// Ends the top-level struct: writes its stop byte.
    public mutating func endMessage() {
        precondition(enclosing.isEmpty, "a nested struct is still open")
        bytes.append(0)
        lastFieldID = 0
    }

    // MARK: Lists

    /// Starts a list field of `count` elements of `element` type; write exactly that many elements next.
    public mutating func beginList(_ id: Int16, of element: CompactType, count: Int) {
        fieldHeader(id, .list)
        if count < 15 {
            bytes.append(UInt8(count) << 4 | element.rawValue)
        } else {
            bytes.append(0xF0 | element.rawValue)
            writeVarint(UInt64(count))
        }
    }

    /// A list element of type i32.
    public mutating func element(i32 value: Int32) { writeVarint(Self.zigzag(Int64(value))) }

    /// A list element of type i64.
    public mutating func element(i64 value: Int64) { writeVarint(Self.zigzag(value)) }

    /// A list element of type binary.
    public mutating func element(binary value: [UInt8]) { writeBinaryBody(value) }

    /// A list element of type binary holding a string's UTF-8 bytes.
    public mutating func element(string value: String) { writeBinaryBody(Array(value.utf8)) }

    // MARK: Primitives

    /// ZigZag: small magnitudes of either sign become small unsigned numbers (0, -1, 1, -2 → 0, 1, 2, 3).
    public static func zigzag(_ value: Int64) -> UInt64 {
        UInt64(bitPattern: (value << 1) ^ (value >> 63))
    }

    /// An unsigned LEB128 varint: 7 bits a byte, low bits first, high bit set on all but the last.
    public mutating func writeVarint(_ value: UInt64) {
        Self.appendVarint(value, to: &bytes)
    }

    /// Appends `value` as an unsigned LEB128 varint.
    public static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var v = value
        while v >= 0x80 {
            out.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        out.append(UInt8(v))
    }

    private mutating func writeBinaryBody(_ value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }
}
