import ArgumentParser
import SMSArchive

/// The exit statuses scripts can rely on (see man/smsarchive.1).
enum ExitStatus {
    /// Finished, but some lines were rejected.
    static let rejects = ExitCode(2)
    /// Failed; the archive is as it was.
    static let failure = ExitCode(1)
    /// `trace`: some MessageId is in no record (the others were printed).
    static let notFound = ExitCode(3)
}

/// Runs `body`, turning any error into a one-line message on stderr and exit status 1.
func failingLoudly(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        StandardError.print("smsarchive: error: \(error)")
        throw ExitStatus.failure
    }
}
