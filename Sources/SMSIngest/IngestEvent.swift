import SMSRecords

/// What reading an export yields, in order: for each blob, its start, its
/// records and rejects, and its end.
package enum IngestEvent: Sendable {
    case blobStarted(source: String)
    case record(Record)
    case reject(Reject)
    /// The blob has been read; `damage` says why reading stopped early, if it did.
    case blobFinished(source: String, bytesRead: Int, lines: Int, damage: String?)
}
