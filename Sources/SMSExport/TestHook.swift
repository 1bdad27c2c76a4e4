#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets the tests kill an export at a chosen step of publishing it, which no timing can hit
/// reliably: with `SMSARCHIVE_TEST_KILL_AT=<point>:<n>` in the environment, the process
/// sends itself SIGKILL the n-th time it reaches `point` (`partition`, `state`, `commit`).
enum TestHook {
    nonisolated(unsafe) private static var counts: [String: Int] = [:]
    private static let target: (point: String, count: Int)? = {
        guard let value = getenv("SMSARCHIVE_TEST_KILL_AT").map({ String(cString: $0) }),
              let colon = value.lastIndex(of: ":"), let n = Int(value[value.index(after: colon)...]) else { return nil }
        return (String(value[..<colon]), n)
    }()

    static func reached(_ point: String) {
        guard let target, target.point == point else { return }
        counts[point, default: 0] += 1
        if counts[point] == target.count { kill(getpid(), SIGKILL) }
    }
}
