#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The signal (SIGINT or SIGTERM) that asked this process to stop, 0 if none: set by the
/// handler `Interruption.catching` installs, read by the work it runs between records.
nonisolated(unsafe) private var caughtSignal: sig_atomic_t = 0

/// A run stopped by SIGINT or SIGTERM.
struct Interrupted: Error, CustomStringConvertible {
    /// The file that was not written, nil for standard output.
    var output: String?

    var description: String { output.map { "interrupted; nothing was written to \($0)" } ?? "interrupted" }
}

/// Turns SIGINT and SIGTERM into a request the work checks between records, so that
/// it can remove what it wrote before the process ends.
enum Interruption {
    /// Whether SIGINT or SIGTERM has arrived since `catching` began.
    @Sendable static func requested() -> Bool { caughtSignal != 0 }

    /// Throws `Interrupted` if SIGINT or SIGTERM has arrived: the output file (nil: standard
    /// output) is then abandoned by the caller.
    static func check(output: String?) throws {
        if caughtSignal != 0 { throw Interrupted(output: output) }
    }

    /// Runs `body` with SIGINT and SIGTERM caught; if one arrived, ends the process by
    /// that signal once `body` is over (as the shell expects of an interrupted command).
    static func catching(_ body: () throws -> Void) rethrows {
        var action = sigaction()
        #if canImport(Glibc)
        action.__sigaction_handler.sa_handler = { caughtSignal = $0 }
        #else
        action.__sigaction_u.__sa_handler = { caughtSignal = $0 }
        #endif
        sigemptyset(&action.sa_mask)
        var previous = (sigaction(), sigaction())
        sigaction(SIGINT, &action, &previous.0)
        sigaction(SIGTERM, &action, &previous.1)
        defer {
            sigaction(SIGINT, &previous.0, nil)
            sigaction(SIGTERM, &previous.1, nil)
            let caught = caughtSignal
            if caught != 0 {
                signal(caught, SIG_DFL)
                raise(caught)
            }
        }
        try body()
    }
}
