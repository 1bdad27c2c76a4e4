// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "smsarchive",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "SMSArchive", targets: ["SMSArchive"]),
        .executable(name: "smsarchive", targets: ["smsarchive"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    ],
    targets: [
        // C libraries come from the system (Debian: zlib1g-dev, libzstd-dev, libxxhash-dev); nothing is vendored.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .systemLibrary(name: "CXXHash", path: "Sources/CXXHash", pkgConfig: "libxxhash",
                       providers: [.apt(["libxxhash-dev"]), .brew(["xxhash"])]),
        // A Parquet writer of its own (no Swift Parquet library exists): see Sources/ParquetWriter.
        .target(name: "ParquetWriter", dependencies: ["CZstd"]),
        .target(
            name: "SMSArchive",
            dependencies: ["CZlib", "CZstd", "CXXHash", "ParquetWriter", .product(name: "HeapModule", package: "swift-collections")],
            swiftSettings: [.unsafeFlags(["-Ounchecked"], .when(configuration: .release))]
        ),
        .executableTarget(
            name: "smsarchive",
            dependencies: [
                "SMSArchive",
                "ParquetWriter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (`make fuzz`); built plainly they replay a corpus (see Sources/FuzzJSONLine).
        .systemLibrary(name: "CFuzzer", path: "Sources/CFuzzer"),
        .executableTarget(name: "FuzzJSONLine", dependencies: ["SMSArchive", "CFuzzer"]),
        .executableTarget(name: "FuzzGzip", dependencies: ["SMSArchive", "CFuzzer"]),
        .executableTarget(name: "FuzzSegment", dependencies: ["SMSArchive", "CFuzzer"]),
        .testTarget(name: "SMSArchiveTests", dependencies: ["SMSArchive", "CZlib"]),
        .testTarget(name: "ParquetWriterTests", dependencies: ["ParquetWriter"]),
    ],
    swiftLanguageModes: [.v6]
)
