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
package final class FolderWalk {
    private let root: FolderNode

    /// Prepares to walk `folder`; nothing is read until `next()`.
    package init(folder: String) {
        root = FolderNode(folder)
    }

    /// The next blob's path, or nil when the walk is done.
    ///
    /// - Throws: `IngestError.unreadable` for a folder that cannot be listed.
    package func next() throws(IngestError) -> String? {
        guard let head = try root.head() else { return nil }
        try root.advance()
        return head.path
    }
}

/// A blob and the hour its path names (`Int64.max` when it names none): the merge order.
package struct WalkEntry: Comparable {
    package var hour: Int64
    package var path: String

    package init(path: String) {
        self.path = path
        hour = BlobPath(parsing: path).hour?.ticks ?? .max
    }

    package static func < (a: WalkEntry, b: WalkEntry) -> Bool {
        a.hour != b.hour ? a.hour < b.hour : a.path.utf8.lexicographicallyPrecedes(b.path.utf8)
    }
}

/// Part of a walk: a blob, a folder, time folders visited in order, or parts merged
/// by their next blob. Classes, so that moving on changes one node, not a copy of the path to it.
package protocol WalkNode: AnyObject {
    /// The next blob, listing folders as needed; nil when this part is done.
    func head() throws(IngestError) -> WalkEntry?
    /// Moves past the blob `head()` returned.
    func advance() throws(IngestError)
}

/// One blob.
package final class BlobNode: WalkNode {
    private var entry: WalkEntry?
    package init(_ entry: WalkEntry) { self.entry = entry }
    package func head() -> WalkEntry? { entry }
    package func advance() { entry = nil }
}

/// A folder, listed when its first blob is asked for.
package final class FolderNode: WalkNode {
    private let path: String
    private var inside: (any WalkNode)?

    package init(_ path: String) { self.path = path }

    package func head() throws(IngestError) -> WalkEntry? {
        if inside == nil { inside = try Self.open(path) }
        return try inside!.head()
    }

    package func advance() throws(IngestError) { try inside?.advance() }

    /// Lists `folder`: time folders alone are visited in order, anything else is merged.
    static func open(_ folder: String) throws(IngestError) -> any WalkNode {
        var blobs: [WalkEntry] = []
        var folders: [(key: Int64?, name: String, path: String)] = []
        try listFolder(folder) { name, path, isFolder in
            if isFolder {
                folders.append((BlobPath.timePartition(ArraySlice(name.utf8))?.value, name, path))
            } else {
                blobs.append(WalkEntry(path: path))
            }
        }
        if blobs.isEmpty, !folders.isEmpty, folders.allSatisfy({ $0.key != nil }) {
            let ordered = folders.sorted { a, b in a.key! != b.key! ? a.key! < b.key! : a.name.utf8.lexicographicallyPrecedes(b.name.utf8) }
            return SequenceNode(ordered.map(\.path))
        }
        var heap = Heap<MergedStream>()
        for entry in blobs { heap.insert(MergedStream(head: entry, node: BlobNode(entry))) }
        for sub in folders {
            let node = FolderNode(sub.path)
            if let head = try node.head() { heap.insert(MergedStream(head: head, node: node)) }
        }
        return MergeNode(heap)
    }

    /// Calls `found` with each blob file and each folder in `folder`. Symbolic links to folders
    /// are not followed (a link cycle cannot loop) but reported, as are names that are not UTF-8:
    /// nothing under a walked folder is passed over without a word.
    private static func listFolder(_ folder: String, _ found: (String, String, Bool) -> Void) throws(IngestError) {
        guard let dir = opendir(folder) else {
            // A folder removed since its parent was listed held nothing left to read.
            if errno == ENOENT { return }
            throw .unreadable(path: folder, reason: String(cString: strerror(errno)))
        }
        defer { closedir(dir) }
        while let entry = readdir(dir) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard let name = String(validating: bytes, as: UTF8.self) else {
                throw .unreadable(path: (folder.hasSuffix("/") ? folder : folder + "/") + escaped(bytes),
                                  reason: "the name is not UTF-8 (its other bytes shown as \\xNN); rename it to read what it holds")
            }
            if name == "." || name == ".." { continue }
            let path = folder.hasSuffix("/") ? folder + name : folder + "/" + name
            // The entry's type saves a stat per file; some file systems do not give it.
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_DIR): found(name, path, true); continue
            case Int32(DT_REG): if InputWalker.isBlobName(name) { found(name, path, false) }; continue
            case Int32(DT_UNKNOWN), Int32(DT_LNK): break
            default: continue
            }
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: found(name, path, true)
            case S_IFREG: if InputWalker.isBlobName(name) { found(name, path, false) }
            case S_IFLNK:
                guard stat(path, &info) == 0 else {
                    // Its target may be a blob or a folder of blobs on a share that is not mounted.
                    throw .unreadable(path: path, reason: "a symbolic link whose target cannot be reached (\(String(cString: strerror(errno)))); mount its target, or remove the link")
                }
                if info.st_mode & S_IFMT == S_IFDIR {
                    throw .unreadable(path: path, reason: "a symbolic link to a folder, not followed; give its target as an input to read it")
                }
                if InputWalker.isBlobName(name), info.st_mode & S_IFMT == S_IFREG { found(name, path, false) }
            default: break
            }
        }
    }
}

/// `bytes` as text, each byte that is not printable ASCII as `\xNN`.
private func escaped(_ bytes: [UInt8]) -> String {
    bytes.map { $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\") ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16, uppercase: true).leftPadded2 }.joined()
}

private extension String {
    var leftPadded2: String { count < 2 ? "0" + self : self }
}

/// Time folders (`y=`, `m=`, `d=`, `h=`), one after the other: each holds later blobs than the one before.
package final class SequenceNode: WalkNode {
    private var rest: [String]
    private var current: FolderNode?

    /// `paths` in time order.
    package init(_ paths: [String]) { rest = paths.reversed() }

    package func head() throws(IngestError) -> WalkEntry? {
        while true {
            if let current, let entry = try current.head() { return entry }
            guard let next = rest.popLast() else { current = nil; return nil }
            current = FolderNode(next)
        }
    }

    package func advance() throws(IngestError) { try current?.advance() }
}

/// Parts merged by the hour of their next blob.
package final class MergeNode: WalkNode {
    private var heap: Heap<MergedStream>

    package init(_ heap: Heap<MergedStream>) { self.heap = heap }

    package func head() -> WalkEntry? { heap.min?.head }

    package func advance() throws(IngestError) {
        guard var top = heap.popMin() else { return }
        try top.node.advance()
        if let head = try top.node.head() {
            top.head = head
            heap.insert(top)
        }
    }
}

/// A part in a merge, ordered by its next blob.
package struct MergedStream: Comparable {
    package var head: WalkEntry
    package var node: any WalkNode

    package static func < (a: MergedStream, b: MergedStream) -> Bool { a.head < b.head }
    package static func == (a: MergedStream, b: MergedStream) -> Bool { a.head == b.head }
}
