#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands the inputs a user names into the blobs to read.
public enum InputWalker {
    /// Whether a file found while walking a folder is an export blob:
    /// `PT1H.json`, `PT05M.json` (Log Analytics workspace exports) and their `.gz` forms.
    public static func isBlobName(_ name: String) -> Bool {
        let lower = name.lowercased()
        guard lower.hasPrefix("pt") else { return false }
        return lower.hasSuffix(".json") || lower.hasSuffix(".json.gz")
    }

    /// Each input as a list of blob paths: `-` is standard input, a file is
    /// taken as named, a folder is walked recursively for blobs (in time order, see `inTimeOrder`).
    ///
    /// - Throws: `IngestError.unreadable` for a path that does not exist or a folder that cannot be listed.
    public static func blobs(in inputs: [String]) throws(IngestError) -> [String] {
        var result: [String] = []
        for input in inputs {
            if input == "-" { result.append(input); continue }
            var info = stat()
            guard stat(input, &info) == 0 else {
                throw .unreadable(path: input, reason: String(cString: strerror(errno)))
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                var found: [String] = []
                try walk(input, into: &found)
                result.append(contentsOf: inTimeOrder(found))
            } else {
                result.append(input)
            }
        }
        return result
    }

    /// Blobs by the hour their path names, then by path: a day's blobs of every category
    /// and resource come together, so a day can be written before the next one is read.
    static func inTimeOrder(_ paths: [String]) -> [String] {
        paths.map { (BlobPath(parsing: $0).hour?.ticks ?? .max, $0) }
            .sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1.utf8.lexicographicallyPrecedes($1.1.utf8) }
            .map(\.1)
    }

    private static func walk(_ folder: String, into found: inout [String]) throws(IngestError) {
        guard let dir = opendir(folder) else {
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
            // lstat: symbolic links to folders are not followed, so a link cycle cannot loop.
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: try walk(path, into: &found)
            case S_IFREG: if isBlobName(name) { found.append(path) }
            case S_IFLNK:
                if isBlobName(name), stat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG { found.append(path) }
            default: break
            }
        }
    }
}
