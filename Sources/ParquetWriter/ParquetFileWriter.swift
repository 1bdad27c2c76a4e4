#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes a Parquet file of a flat schema, row by row, holding one row group in memory.
///
/// The file layout follows the Parquet format specification
/// (https://github.com/apache/parquet-format, README.md "File Format"):
/// `PAR1`, the column chunks of each row group, the footer (`FileMetaData` in the
/// Thrift compact protocol), the footer's length as 4 bytes little-endian, `PAR1`.
///
/// ```swift
/// let writer = try ParquetFileWriter(path: "out.parquet", schema: ParquetSchema([.string("name"), .int64("n")]))
/// writer.append(0, string: "a"); writer.append(1, int64: 1); try writer.endRow()
/// try writer.close()
/// ```
public final class ParquetFileWriter {
    /// Sizes and codec.
    public struct Options: Sendable {
        /// Page body compression.
        public var compression: Compression = .zstd(level: 3)
        /// A row group is written when it reaches this many rows...
        public var rowGroupRows = 128 * 1024
        /// ...or when its buffered values take about this many bytes.
        public var rowGroupBytes = 64 << 20
        /// Rows per data page.
        public var pageRows = 16 * 1024
        /// A string chunk whose distinct values exceed this many bytes is written PLAIN, without dictionary.
        public var dictionaryPageLimit = 1 << 20
        /// The footer's `created_by`.
        public var createdBy = "smsarchive ParquetWriter"
        /// Key-value pairs for the footer.
        public var keyValueMetadata: [KeyValue] = []

        /// The defaults: zstd level 3, row groups of 128 Ki rows or 64 MiB, pages of 16 Ki rows.
        public init() {}
    }

    /// One key-value pair of the footer's metadata.
    public struct KeyValue: Sendable, Equatable {
        /// The key.
        public var key: String
        /// The value.
        public var value: String

        /// The pair `key`, `value`.
        public init(_ key: String, _ value: String) {
            self.key = key
            self.value = value
        }
    }

    /// The file being written.
    public let path: String
    /// Its columns.
    public let schema: ParquetSchema
    /// Its sizes and codec.
    public let options: Options
    private let chunks: [ColumnChunkWriter]
    private var descriptor: Int32
    private var offset: Int64 = 0
    private var rowGroups: [RowGroupMetadata] = []
    private var rowsInGroup = 0
    /// Rows written so far, including those still buffered.
    public private(set) var rows = 0

    /// Creates (or truncates) the file at `path` and writes the leading magic.
    public init(path: String, schema: ParquetSchema, options: Options = Options()) throws {
        precondition(options.pageRows > 0 && options.rowGroupRows > 0)
        self.path = path
        self.schema = schema
        self.options = options
        chunks = schema.columns.map(ColumnChunkWriter.init)
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw ParquetWriterError.io(path, String(cString: strerror(errno))) }
        try write(Self.magic)
    }

    deinit {
        if descriptor >= 0 { _ = closeFile(descriptor) }
    }

    static let magic: [UInt8] = Array("PAR1".utf8)

    /// Sets column `column` of the current row to an integer (INT32 and INT64 columns), or null.
    public func append(_ column: Int, int64 value: Int64?) {
        chunks[column].append(int64: value)
    }

    /// Sets column `column` of the current row to a string (BYTE_ARRAY columns), or null.
    public func append(_ column: Int, string value: String?) {
        chunks[column].append(string: value)
    }

    /// Ends the current row, which must have had exactly one value appended to each column;
    /// writes the row group when it is full.
    public func endRow() throws {
        rowsInGroup += 1
        rows += 1
        for chunk in chunks where chunk.rows != rowsInGroup {
            preconditionFailure("row \(rows - 1): column \(chunk.column.name) has \(chunk.rows) values, expected \(rowsInGroup)")
        }
        if rowsInGroup >= options.rowGroupRows || chunks.reduce(0, { $0 + $1.bufferedBytes }) >= options.rowGroupBytes {
            try flushRowGroup()
        }
    }

    /// Writes the buffered rows as a row group, if there are any.
    public func flushRowGroup() throws {
        guard rowsInGroup > 0 else { return }
        var metadata: [ColumnChunkMetadata] = []
        for chunk in chunks {
            let (bytes, meta) = chunk.encode(at: offset, options: options)
            try write(bytes)
            metadata.append(meta)
            chunk.reset()
        }
        rowGroups.append(RowGroupMetadata(columns: metadata, rows: Int64(rowsInGroup), ordinal: Int16(truncatingIfNeeded: rowGroups.count)))
        rowsInGroup = 0
    }

    /// Writes the last row group and the footer, and closes the file (after fsync, so
    /// that a rename that follows publishes complete data).
    public func close() throws {
        try flushRowGroup()
        let footer = FileMetadata(schema: schema, rowGroups: rowGroups,
                                  keyValues: options.keyValueMetadata.map { ($0.key, $0.value) },
                                  createdBy: options.createdBy).encoded()
        var tail = footer
        PlainEncoding.appendUInt32(UInt32(footer.count), to: &tail)
        tail.append(contentsOf: Self.magic)
        try write(tail)
        guard fsync(descriptor) == 0 else { throw ParquetWriterError.io(path, String(cString: strerror(errno))) }
        let status = closeFile(descriptor)
        descriptor = -1
        guard status == 0 else { throw ParquetWriterError.io(path, String(cString: strerror(errno))) }
    }

    private func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = writeFile(descriptor, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw ParquetWriterError.io(path, String(cString: strerror(errno)))
                }
                done += n
            }
        }
        offset += Int64(bytes.count)
    }
}

/// Why a Parquet file could not be written.
public enum ParquetWriterError: Error, CustomStringConvertible {
    /// A system call on the file (path, reason) failed.
    case io(String, String)

    /// The path and the system's reason.
    public var description: String {
        switch self {
        case .io(let path, let reason): return "\(path): \(reason)"
        }
    }
}

// The system calls under names the writer's own methods do not shadow.
#if canImport(Glibc)
private func writeFile(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Glibc.write(fd, buffer, count) }
private func closeFile(_ fd: Int32) -> Int32 { Glibc.close(fd) }
#elseif canImport(Darwin)
private func writeFile(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int { Darwin.write(fd, buffer, count) }
private func closeFile(_ fd: Int32) -> Int32 { Darwin.close(fd) }
#endif
