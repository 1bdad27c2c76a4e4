/// Reads a segment file: checks its header, trailer and footer on open, then
/// reads and checks only the chunks asked for.
public final class SegmentReader: @unchecked Sendable {
    public let path: String
    public let version: UInt32
    public let footer: SegmentFooter
    private let file: FileReader
    /// Blocks decoded so far: lets tests and callers see what a scan touched.
    public private(set) var blocksRead = 0

    public init(path: String) throws {
        self.path = path
        file = try FileReader(path)
        let minimum = SegmentLayout.headerSize + SegmentLayout.trailerSize
        guard file.size >= minimum else {
            throw FormatError.damaged("\(path): \(file.size) bytes, too short to be a segment (truncated?)")
        }
        let header = try file.read(at: 0, count: SegmentLayout.headerSize)
        guard Array(header[0..<8]) == SegmentLayout.magic else {
            throw FormatError.damaged("\(path): wrong magic number at the start; not a segment file")
        }
        var hr = ByteReader(header, context: path, range: 8..<16)
        version = try hr.uint32()
        guard SegmentLayout.readableVersions.contains(version) else {
            throw FormatError.unsupportedVersion("\(path): segment version \(version); this build reads \(SegmentLayout.readableVersions)")
        }
        let trailer = try file.read(at: file.size - SegmentLayout.trailerSize, count: SegmentLayout.trailerSize)
        guard Array(trailer[12..<20]) == SegmentLayout.magic else {
            throw FormatError.damaged("\(path): wrong magic number at the end (truncated or not a segment)")
        }
        var tr = ByteReader(trailer, context: "\(path) trailer")
        let footerLength = Int(try tr.uint32())
        let footerHash = try tr.uint64()
        let footerStart = file.size - SegmentLayout.trailerSize - footerLength
        guard footerStart >= SegmentLayout.headerSize else {
            throw FormatError.damaged("\(path): footer length \(footerLength) does not fit the file")
        }
        let footerBytes = try file.read(at: footerStart, count: footerLength)
        guard xxh64(footerBytes) == footerHash else {
            throw FormatError.damaged("\(path): footer checksum mismatch")
        }
        footer = try SegmentFooter.decode(footerBytes, fileSize: footerStart, context: path)
    }

    /// The stored bytes of a chunk, checksum verified, decompressed.
    func chunk(_ ref: ChunkRef, context: String) throws -> [UInt8] {
        let stored = try file.read(at: ref.offset, count: ref.storedLength)
        guard stored.count == ref.storedLength else {
            throw FormatError.damaged("\(context): chunk runs past the end of the file")
        }
        guard xxh64(stored) == ref.checksum else {
            throw FormatError.damaged("\(context): checksum mismatch")
        }
        switch ref.compression {
        case .none: return stored
        case .zstd: return try Zstd.decompress(stored, expectedSize: ref.rawLength, context: context)
        }
    }

    /// Reads and decodes block `index`.
    public func readBlock(_ index: Int) throws -> [StoredRow] {
        let block = footer.blocks[index]
        blocksRead += 1
        func column(_ id: ColumnID, _ expected: ColumnEncoding) throws -> [UInt8] {
            let ref = block.columns[id.rawValue]
            let context = "\(path): block \(index) column \(id.name)"
            guard ref.encoding == expected.rawValue else {
                throw FormatError.damaged("\(context): unknown encoding \(ref.encoding)")
            }
            return try chunk(ref, context: context)
        }
        let rows = block.rowCount
        let context = "\(path): block \(index)"
        let times = try ColumnCodecs.decodeDeltaVarint(try column(.time, .deltaVarint), rows: rows, context: "\(context) time")
        let categories = try ColumnCodecs.decodeDictionary(try column(.category, .dictionary), rows: rows, context: "\(context) category")
        let resources = try ColumnCodecs.decodeDictionary(try column(.resource, .dictionary), rows: rows, context: "\(context) resource")
        let documents = try ColumnCodecs.decodePlainBytes(try column(.document, .plainBytes), rows: rows, context: "\(context) document")
        var result: [StoredRow] = []
        result.reserveCapacity(rows)
        for i in 0..<rows {
            let time = Timestamp(ticks: times[i])
            guard time >= block.minTime, time <= block.maxTime else {
                throw FormatError.damaged("\(context): row \(i) time outside the block's range")
            }
            result.append(StoredRow(time: time, category: categories[i], resourceId: resources[i], document: documents[i]))
        }
        return result
    }

    /// Every reject stored in the segment.
    public func readRejects() throws -> [Reject] {
        guard let ref = footer.rejects else { return [] }
        let context = "\(path): rejects"
        return try RejectCodec.decode(try chunk(ref, context: context), count: footer.rejectCount, context: context)
    }
}
