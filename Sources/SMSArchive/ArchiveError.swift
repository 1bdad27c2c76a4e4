/// Errors about an archive as a whole, rather than about its bytes.
///
/// Damage inside an archive's files is a ``/SMSSupport/FormatError``, and a failure of the file
/// system a ``/SMSSupport/FileError``.
public enum ArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The path is not an archive: it holds no `manifest.json` (or does not exist), it is a file,
    /// or it is a folder that holds other things and no manifest (which a writer refuses to touch).
    /// Carries the path and the reason.
    case notAnArchive(String, String)
    /// Another process is writing the archive, and the writer was told not to wait
    /// (``WriteOptions/waitForLock``). Carries the archive's path.
    case busy(String)
    /// A whole record was asked of a batch whose query decoded only some columns
    /// (``ScanQuery/columns``): ``RecordBatch/record(row:)`` and ``RecordBatch/writeJSON(row:to:)``
    /// need every column.
    case columnsNotDecoded

    /// A message for people, naming the path: for example
    /// `sms.smsa: not an smsarchive archive: no manifest.json`.
    public var description: String {
        switch self {
        case .notAnArchive(let path, let why): return "\(path): not an smsarchive archive: \(why)"
        case .busy(let path): return "\(path): another smsarchive process is writing this archive (its lock is \(path)/.lock); try again when it is done"
        case .columnsNotDecoded:
            return "a whole record needs every column, but the query decoded only some (ScanQuery.columns); leave columns nil"
        }
    }
}
