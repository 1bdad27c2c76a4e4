#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeapModule

/// The blobs under a folder, in time order, found as they are needed: a year of
/// exports is 10^5 to 10^6 files, and no list of them all is ever made.
///
/// Folders named for time (`y=`, `m=`, `d=`, `h=`) are visited in the order of their
/// numbers, one at a time; the blobs of other folders (one per category, resource or
/// table) are merged by the hour their paths name, so that a day's blobs of every
/// category and resource come together and a day can be written before the next
/// one is read. Memory holds one listing per open folder.
public final class FolderWalk {
    private var root: WalkStream?

    /// Prepares to walk `folder`; nothing is read until `next()`.
    public init(folder: String) {
        root = .folder(folder)
    }

    /// The next blob's path, or nil when the walk is done.
    ///
    /// - Throws: `IngestError.unreadable` for a folder that cannot be listed.
    public func next() throws(IngestError) -> String? {
        guard var stream = root else { return nil }
        defer { root = stream }
        guard let head = try stream.head() else {
            root = nil
            return nil
        }
        try stream.advance()
        return head.path
    }
}

/// A blob and the hour its path names (`Int64.max` when it names none): the merge order.
struct WalkEntry: Comparable {
    var hour: Int64
    var path: String

    init(path: String) {
        self.path = path
        hour = BlobPath(parsing: path).hour?.ticks ?? .max
    }

    static func < (a: WalkEntry, b: WalkEntry) -> Bool {
        a.hour != b.hour ? a.hour < b.hour : a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
    }
}

/// Part of a walk: one blob, a folder not yet listed, time folders visited in
/// order, or streams merged by their next blob.
indirect enum WalkStream {
    case blob(WalkEntry)
    case folder(String)
    case sequence(current: WalkStream?, rest: [String])
    case merge(Heap<MergedStream>)
    case done

    /// The next blob, listing folders as needed.
    mutating func head() throws(IngestError) -> WalkEntry? {
        while true {
            switch self {
            case .blob(let entry): return entry
            case .done: return nil
            case .folder(let path): self = try Self.open(path)
            case .merge(let heap): return heap.min?.head
            case .sequence(var current, var rest):
                if current != nil, let entry = try current!.head() {
                    self = .sequence(current: current, rest: rest)
                    return entry
                }
                guard let next = rest.popLast() else { self = .done; return nil }
                current = .folder(next)
                self = .sequence(current: current, rest: rest)
            }
        }
    }

    /// Moves past the blob `head()` returned.
    mutating func advance() throws(IngestError) {
        switch self {
        case .blob: self = .done
        case .done, .folder: break
        case .sequence(var current, let rest):
            try current?.advance()
            self = .sequence(current: current, rest: rest)
        case .merge(var heap):
            self = .done  // drop the heap's storage from `self` while it changes
            guard var top = heap.popMin() else { return }
            try top.stream.advance()
            if let head = try top.stream.head() {
                top.head = head
                heap.insert(top)
            }
            self = heap.isEmpty ? .done : .merge(heap)
        }
    }

    /// Lists `folder` and makes the stream of its blobs.
    static func open(_ folder: String) throws(IngestError) -> WalkStream {
        var blobs: [WalkEntry] = []
        var folders: [(name: String, path: String)] = []
        try listFolder(folder) { name, path, isFolder in
            if isFolder { folders.append((name, path)) } else { blobs.append(WalkEntry(path: path)) }
        }
        let timed = folders.map { timeKey($0.name) }
        if blobs.isEmpty, !folders.isEmpty, timed.allSatisfy({ $0 != nil }) {
            // Later times first, so that popLast gives the earliest.
            let ordered = zip(timed, folders).sorted { a, b in
                a.0! != b.0! ? a.0! > b.0! : b.1.name.utf8.lexicographicallyPrecedes(a.1.name.utf8)
            }
            return .sequence(current: nil, rest: ordered.map(\.1.path))
        }
        var heap = Heap<MergedStream>()
        for entry in blobs { heap.insert(MergedStream(head: entry, stream: .blob(entry))) }
        for sub in folders {
            var stream = WalkStream.folder(sub.path)
            if let head = try stream.head() { heap.insert(MergedStream(head: head, stream: stream)) }
        }
        return heap.isEmpty ? .done : .merge(heap)
    }

    /// The number of a time folder (`y=2026`, `m=05`, `d=1`, `h=23`), or nil for any other name.
    static func timeKey(_ name: String) -> Int64? {
        let utf8 = Array(name.utf8)
        guard utf8.count >= 3, utf8.count <= 8, utf8[1] == UInt8(ascii: "=") else { return nil }
        switch utf8[0] | 0x20 {
        case UInt8(ascii: "y"), UInt8(ascii: "m"), UInt8(ascii: "d"), UInt8(ascii: "h"): break
        default: return nil
        }
        var value: Int64 = 0
        for byte in utf8[2...] {
            guard byte &- 0x30 < 10 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        return value
    }

    /// Calls `found` with each blob file and each folder in `folder`.
    /// Symbolic links to folders are not followed, so a link cycle cannot loop.
    private static func listFolder(_ folder: String, _ found: (String, String, Bool) -> Void) throws(IngestError) {
        guard let dir = opendir(folder) else {
            // A folder removed since its parent was listed held nothing left to read.
            if errno == ENOENT { return }
            throw .unreadable(path: folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: found(name, path, true)
            case S_IFREG: if InputWalker.isBlobName(name) { found(name, path, false) }
            case S_IFLNK:
                if InputWalker.isBlobName(name), stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { found(name, path, false) }
            default: break
            }
        }
    }
}

/// A stream in a merge, ordered by its next blob.
struct MergedStream: Comparable {
    var head: WalkEntry
    var stream: WalkStream

    static func < (a: MergedStream, b: MergedStream) -> Bool { a.head < b.head }
    static func == (a: MergedStream, b: MergedStream) -> Bool { a.head == b.head }
}
