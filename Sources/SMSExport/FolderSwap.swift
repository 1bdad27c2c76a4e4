import SMSSupport

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Puts a complete new folder in the place of a live one in one step, so that a reader
/// listing the live path sees the old files or the new ones, never a mix: Linux's
/// `renameat2(RENAME_EXCHANGE)`, macOS's `renamex_np(RENAME_SWAP)`. Where the system or
/// the file system has no such call (some FUSE mounts), the old folder is renamed away
/// and the new one into place, two renames a moment apart.
enum FolderSwap {
    /// Swaps `fresh` and `live` (both folders on one file system): afterwards `fresh` holds
    /// the old contents. Returns whether it was one atomic step.
    @discardableResult
    static func exchange(_ fresh: String, _ live: String, parking: String) throws -> Bool {
        if atomicExchange(fresh, live) { return true }
        guard rename(live, parking) == 0 else { throw FileError(live, "rename to \(parking)") }
        guard rename(fresh, live) == 0 else {
            let error = FileError(live, "rename from \(fresh)")
            _ = rename(parking, live)
            throw error
        }
        _ = rename(parking, fresh)
        return false
    }

    #if canImport(Glibc)
    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
    /// glibc 2.28 and later; looked up at run time since the Swift Glibc module does not declare it.
    private static let renameat2: RenameAt2? = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2")
        .map { unsafeBitCast($0, to: RenameAt2.self) }
    private static let renameExchange: UInt32 = 2

    private static func atomicExchange(_ a: String, _ b: String) -> Bool {
        guard let renameat2 else { return false }
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange) == 0
    }
    #else
    private static func atomicExchange(_ a: String, _ b: String) -> Bool {
        renamex_np(a, b, UInt32(RENAME_SWAP)) == 0
    }
    #endif
}
