/// A problem with an archive's bytes or files.
public enum FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The bytes contradict the format: truncated, bit-flipped, or not an archive.
    case damaged(String)
    /// Written by a newer version of smsarchive.
    case unsupportedVersion(String)

    public var description: String {
        switch self {
        case .damaged(let s): return "damaged archive: \(s)"
        case .unsupportedVersion(let s): return "unsupported format: \(s)"
        }
    }
}
