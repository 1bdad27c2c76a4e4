import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A child process run with `posix_spawn` and reaped with `wait4`, so its own peak memory is
/// known (Foundation's `Process` does not tell). Its output goes to files, so a full pipe cannot
/// block it; a child killed by a signal has the shell's status, 128 + the signal.
struct ChildProcess {
    var status: Int32
    /// Peak resident memory of the child, in KiB.
    var maxRSSKiB: Int
    var stdout: [UInt8]
    var stderrBytes: [UInt8]
    var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }

    /// Runs `arguments` (the first is the executable's path) with `stdin` as its standard input
    /// (nil: /dev/null).
    static func run(_ arguments: [String], stdin: Data? = nil) throws -> ChildProcess {
        let folder = TemporaryFolder()
        let out = folder.path + "/stdout", err = folder.path + "/stderr"
        var input = "/dev/null"
        if let stdin {
            input = folder.path + "/stdin"
            try stdin.write(to: URL(fileURLWithPath: input))
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, input, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw SpawnError(description: "\(arguments[0]): posix_spawn: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        let signal = status & 0x7F
        return ChildProcess(status: signal == 0 ? (status >> 8) & 0xFF : 128 + signal,
                            maxRSSKiB: Int(usage.ru_maxrss),
                            stdout: Array(try Data(contentsOf: URL(fileURLWithPath: out))),
                            stderrBytes: Array(try Data(contentsOf: URL(fileURLWithPath: err))))
    }

    /// `run`, with the peak memory of the command alone: a child made by `posix_spawn` (vfork) starts
    /// with this process's peak as its own, so the command runs in a child that python3 forks.
    static func measured(_ arguments: [String]) throws -> ChildProcess {
        let folder = TemporaryFolder()
        let script = """
        import os, sys
        pid = os.fork()
        if pid == 0:
            os.execv(sys.argv[2], sys.argv[2:])
        _, status, usage = os.wait4(pid, 0)
        open(sys.argv[1], "w").write(str(usage.ru_maxrss))
        code = os.waitstatus_to_exitcode(status)
        sys.exit(code if code >= 0 else 128 - code)
        """
        var child = try run(["/usr/bin/env", "python3", "-c", script, folder.path + "/maxrss"] + arguments)
        child.maxRSSKiB = Int(String(decoding: try Data(contentsOf: URL(fileURLWithPath: folder.path + "/maxrss")), as: UTF8.self)) ?? Int.max
        return child
    }

    /// Runs a `/bin/sh` script; `arguments` are its `$1`, `$2`, ...
    static func shell(_ script: String, _ arguments: [String] = []) throws -> ChildProcess {
        try run(["/bin/sh", "-c", script, "sh"] + arguments)
    }
}

struct SpawnError: Error, CustomStringConvertible {
    var description: String
}

/// Every file of a folder (relative path → bytes), for comparing a folder before and after.
func snapshot(_ folder: String, ignoring ignored: Set<String> = [".lock"]) throws -> [String: Data] {
    var files: [String: Data] = [:]
    guard let walker = FileManager.default.enumerator(atPath: folder) else { return files }
    while let relative = walker.nextObject() as? String {
        var isFolder: ObjCBool = false
        let full = folder + "/" + relative
        guard FileManager.default.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue,
              !ignored.contains((relative as NSString).lastPathComponent) else { continue }
        files[relative] = try Data(contentsOf: URL(fileURLWithPath: full))
    }
    return files
}
