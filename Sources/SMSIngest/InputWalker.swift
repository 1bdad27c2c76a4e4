#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands the inputs a user names into the blobs to read, lazily: folders are
/// walked as reading goes on (see `FolderWalk`).
package final class InputWalker {
    private var inputs: [String]
    private var folder: FolderWalk?

    /// Whether a file found while walking a folder is an export blob: `PT1H.json`,
    /// `PT05M.json` and its overflow files `PT05M_1.json`, … (Log Analytics workspace
    /// exports), and their `.gz` forms.
    package static func isBlobName(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard lower.hasPrefix("pt") else { return false }
        return lower.hasSuffix(".json") || lower.hasSuffix(".json.gz")
    }

    /// Walks `inputs` in order: `-` is standard input, a file is taken as named,
    /// a folder is walked recursively for blobs, in time order.
    package init(inputs: [String]) {
        self.inputs = inputs.reversed()
    }

    /// The next blob to read, or nil when every input is done.
    ///
    /// - Throws: `IngestError.unreadable` for a path that does not exist or a folder that cannot be listed.
    package func next() throws(IngestError) -> String? {
        while true {
            if let folder {
                if let blob = try folder.next() { return blob }
                self.folder = nil
            }
            guard let input = inputs.popLast() else { return nil }
            if input == "-" { return input }
            var info = stat()
            guard stat(input, &info) == 0 else {
                throw .unreadable(path: input, reason: String(cString: strerror(errno)))
            }
            guard info.st_mode & S_IFMT == S_IFDIR else { return input }
            folder = FolderWalk(folder: input)
        }
    }

    /// Every blob of `inputs`, in the order `next()` gives them (for callers that
    /// want a list; `convert` walks lazily instead).
    package static func blobs(in inputs: [String]) throws(IngestError) -> [String] {
        let walker = InputWalker(inputs: inputs)
        var result: [String] = []
        while let blob = try walker.next() { result.append(blob) }
        return result
    }
}
