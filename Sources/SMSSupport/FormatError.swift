/// A problem with an archive's bytes or files.
///
/// Readers check what they read (checksums, structure, counts, UTF-8) and throw this rather than
/// return wrong records: a damaged block is never half read. See `man/smsarchive-format.5` for
/// what counts as damage.
public enum FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes contradict the format: truncated, bit-flipped, or not an archive.
    /// Carries what is wrong and where (the file and, where it applies, the block and row).
    case damaged(String)
    /// Written by a newer version of smsarchive: a manifest or segment version this build does not
    /// read. Carries what was found and where.
    case unsupportedVersion(String)

    /// A message for people, starting `damaged archive:` or `unsupported format:`.
    public var description: String {
        switch self {
        case .damaged(let s): return "damaged archive: \(s)"
        case .unsupportedVersion(let s): return "unsupported format: \(s)"
        }
    }
}
