// libFuzzer target for the JSON parser and the blob line parser (see FuzzEntryPoints in the library).
// Built with `make fuzz` (-sanitize=fuzzer,address -DFUZZING), main runs libFuzzer's driver.
// Built plainly, it replays the files or folders named on the command line:
//   .build/debug/FuzzJSONLine fuzz/corpus/FuzzJSONLine
@_spi(Fuzzing) import SMSArchive
#if canImport(Glibc)
import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    if let violation = FuzzEntryPoints.jsonLine(UnsafeRawBufferPointer(start: data, count: size)) { fatalError(violation) }
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
        print("FuzzJSONLine: replayed \(count) inputs")
    }
}
#endif
