// libFuzzer target for the segment reader (see FuzzEntryPoints in the library).
// Built with `make fuzz` (-sanitize=fuzzer,address -DFUZZING), main runs libFuzzer's driver.
// Built plainly, it replays the files or folders named on the command line:
//   .build/debug/FuzzSegment fuzz/corpus/FuzzSegment
@_spi(Fuzzing) import SMSArchive
#if canImport(Glibc)
import Glibc
#endif

/// The file the segment reader opens: one per process, so parallel fuzz jobs do not collide.
let scratch: String = {
    let folder = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    return "\(folder)/smsarchive-fuzz-segment-\(getpid())"
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzEntryPoints.segment(UnsafeRawBufferPointer(start: data, count: size), scratchPath: scratch)
    return 0
}

#if FUZZING
import CFuzzer

@main struct Fuzz {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
    }
}
#else
@main struct Replay {
    static func main() throws {
        let count = try FuzzEntryPoints.replay(Array(CommandLine.arguments.dropFirst())) { buffer in
            _ = fuzzOneInput(buffer.baseAddress?.assumingMemoryBound(to: UInt8.self), buffer.count)
        }
        unlink(scratch)
        print("FuzzSegment: replayed \(count) inputs")
    }
}
#endif
