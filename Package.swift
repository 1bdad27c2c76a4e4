// swift-tools-version: 6.0
import PackageDescription

// Release builds drop overflow and bounds checks on the data path (-Ounchecked; inputs are validated where
// they are read), and optimize across the layer targets so that a call into a lower layer costs what a
// call inside one module did.
let optimized: [SwiftSetting] = [
    .unsafeFlags(["-Ounchecked", "-cross-module-optimization"], .when(configuration: .release)),
]

let package = Package(
    name: "smsarchive",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "SMSArchive", targets: ["SMSArchive"]),
        .executable(name: "smsarchive", targets: ["smsarchive"]),
        // libSMSArchiveC: the archive as Arrow C streams, for C, Python (python/), DuckDB, polars (include/smsarchive.h).
        .library(name: "SMSArchiveC", type: .dynamic, targets: ["SMSArchiveC"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
        // `make docs`: the DocC documentation of the SMSArchive library (Sources/SMSArchive/SMSArchive.docc).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // C libraries come from the system (Debian: zlib1g-dev, libzstd-dev, libxxhash-dev, libdeflate-dev);
        // nothing is vendored.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"]), .brew(["zlib"])]),
        .systemLibrary(name: "CZstd", path: "Sources/CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .systemLibrary(name: "CXXHash", path: "Sources/CXXHash", pkgConfig: "libxxhash",
                       providers: [.apt(["libxxhash-dev"]), .brew(["xxhash"])]),
        // Whole gzip blobs inflate in one call, about twice as fast as zlib's streaming (GzipDecoder).
        .systemLibrary(name: "CDeflate", path: "Sources/CDeflate", pkgConfig: "libdeflate",
                       providers: [.apt(["libdeflate-dev"]), .brew(["libdeflate"])]),
        // A Parquet writer of its own (no Swift Parquet library exists): see Sources/ParquetWriter.
        .target(name: "ParquetWriter", dependencies: ["CZstd"]),
        // The data path, one target per layer; a reference that runs the wrong way does not compile.
        // Support (files, checksums, zstd, threads) <- Records (the record model) <- Ingest (reading exports)
        // and Format (the segment format's encodings) <- SMSArchive (writer, reader, maintenance: the library
        // users import) <- Export (Parquet, JSON Lines, CSV) <- the CLI.
        .target(name: "SMSSupport", dependencies: ["CZstd", "CXXHash"], swiftSettings: optimized),
        .target(name: "SMSRecords", dependencies: ["SMSSupport"], swiftSettings: optimized),
        .target(name: "SMSIngest", dependencies: ["SMSRecords", "SMSSupport", "CZlib", "CDeflate",
                                                  .product(name: "HeapModule", package: "swift-collections")],
                swiftSettings: optimized),
        .target(name: "SMSFormat", dependencies: ["SMSRecords", "SMSSupport"], swiftSettings: optimized),
        .target(name: "SMSArchive", dependencies: ["SMSFormat", "SMSIngest", "SMSRecords", "SMSSupport"],
                swiftSettings: optimized),
        .target(name: "SMSExport", dependencies: ["SMSArchive", "SMSFormat", "SMSRecords", "SMSSupport", "ParquetWriter"],
                swiftSettings: optimized),
        // The C interface: the Arrow C data and stream interface structures come from include/smsarchive_arrow.h.
        .systemLibrary(name: "CArrowInterface", path: "Sources/CArrowInterface"),
        .target(name: "SMSArchiveC", dependencies: ["SMSArchive", "SMSExport", "SMSRecords", "SMSSupport", "CArrowInterface"],
                swiftSettings: optimized),
        .executableTarget(
            name: "smsarchive",
            dependencies: [
                "SMSArchive",
                "SMSExport",
                "SMSFormat",
                "SMSIngest",
                "SMSRecords",
                "SMSSupport",
                "ParquetWriter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer targets (`make fuzz`); built plainly they replay a corpus (see Sources/FuzzJSONLine).
        .systemLibrary(name: "CFuzzer", path: "Sources/CFuzzer"),
        .executableTarget(name: "FuzzJSONLine", dependencies: ["SMSArchive", "CFuzzer"]),
        .executableTarget(name: "FuzzGzip", dependencies: ["SMSArchive", "CFuzzer"]),
        .executableTarget(name: "FuzzSegment", dependencies: ["SMSArchive", "CFuzzer"]),
        // The README's aggregation example, to time it as a whole process; not a product.
        .executableTarget(name: "CountByCountry", dependencies: ["SMSArchive"], path: "Examples/CountByCountry",
                          swiftSettings: optimized),
        // The reading stage of convert alone (LineShredder on lines held in memory), to time the parse; not a product.
        .executableTarget(name: "ShredLines", dependencies: ["SMSIngest", "SMSRecords", "SMSSupport"], path: "Benchmarks/ShredLines",
                          swiftSettings: optimized),
        .testTarget(name: "SMSArchiveTests",
                    dependencies: ["SMSArchive", "SMSArchiveC", "SMSExport", "SMSFormat", "SMSIngest", "SMSRecords", "SMSSupport", "CZlib", "CArrowInterface"]),
        .testTarget(name: "ParquetWriterTests", dependencies: ["ParquetWriter"]),
    ],
    swiftLanguageModes: [.v6]
)
