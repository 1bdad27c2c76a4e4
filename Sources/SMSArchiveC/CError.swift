#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An error of the C interface itself (a bad argument), with the message handed back to the caller.
struct SMSArchiveCError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A copy of `text` on the C heap (malloc), for the caller to free with `smsarchive_free_string`.
func cString(_ text: String) -> UnsafeMutablePointer<CChar>? {
    strdup(text)
}

/// What a failed call hands back: 1, and the error's message in `*error` when the caller asked for it.
func fail(_ error: any Error, _ out: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    out?.pointee = cString(message(error))
    return 1
}

/// A message for people: the error's description (those of the archive name the file and block).
func message(_ error: any Error) -> String {
    String(describing: error)
}

/// The Swift string of a C string argument that must not be NULL.
func argument(_ pointer: UnsafePointer<CChar>?, _ name: String) throws -> String {
    guard let pointer else { throw SMSArchiveCError("\(name) is NULL") }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)), as: UTF8.self)
}

/// The strings of a C array of `count` C strings (none of them NULL).
func arguments(_ pointer: UnsafePointer<UnsafePointer<CChar>?>?, _ count: Int, _ name: String) throws -> [String] {
    guard count > 0 else { return [] }
    guard let pointer else { throw SMSArchiveCError("\(name) is NULL with a count of \(count)") }
    return try (0..<count).map { try argument(pointer[$0], "\(name)[\($0)]") }
}
