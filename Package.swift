// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wordmill",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "wordmill", targets: ["wordmill"]),
        .library(name: "WordmillStages", targets: ["WordmillStages"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // Each target names every module it imports (`.ci/check-imports.py` checks this in `make test`).
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .systemLibrary(name: "CMecab", providers: [.apt(["libmecab-dev"]), .brew(["mecab"])]),
        .target(name: "CFileSync"),
        .target(name: "CPrefetch"),
        .target(name: "CTextScan"),
        .target(name: "CTokenCount"),
        // General utilities: JSON, run-time library loading, ordered parallel work, fault injection for tests.
        .target(name: "WordmillSupport"),
        // The artifact container: header, sections, zstd frames, checksums, atomic files.
        .target(name: "WordmillArtifacts", dependencies: ["WordmillSupport", "CZstd", "CFileSync"]),
        .target(name: "WordmillPipeline", dependencies: ["WordmillArtifacts", "WordmillSupport"]),
        .target(name: "WordmillText", dependencies: ["WordmillArtifacts", "WordmillSupport", "CMecab", "CPrefetch", "CTextScan", "CTokenCount"]),
        .target(name: "WordmillNumerics", dependencies: ["WordmillSupport", "CPrefetch"]),
        .target(name: "WordmillData", dependencies: ["WordmillText", "WordmillNumerics", "WordmillArtifacts", "WordmillSupport", "CPrefetch"]),
        .target(name: "WordmillModels", dependencies: ["WordmillData", "WordmillText", "WordmillNumerics", "WordmillArtifacts", "WordmillSupport"]),
        .target(name: "WordmillExport", dependencies: ["WordmillModels", "WordmillData", "WordmillArtifacts", "WordmillSupport"]),
        .target(name: "WordmillStages", dependencies: [
            "WordmillPipeline", "WordmillExport", "WordmillModels", "WordmillData", "WordmillText", "WordmillNumerics", "WordmillArtifacts", "WordmillSupport",
        ]),
        .executableTarget(name: "wordmill", dependencies: [
            "WordmillStages", "WordmillPipeline", "WordmillExport", "WordmillModels", "WordmillArtifacts", "WordmillSupport",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "WordmillTestSupport", path: "Tests/WordmillTestSupport"),
        .testTarget(name: "WordmillSupportTests", dependencies: ["WordmillSupport", "WordmillTestSupport"]),
        .testTarget(name: "WordmillArtifactsTests", dependencies: ["WordmillArtifacts", "WordmillSupport", "WordmillTestSupport"]),
        .testTarget(name: "WordmillPipelineTests", dependencies: [
            "WordmillPipeline", "WordmillStages", "WordmillData", "WordmillText", "WordmillModels", "WordmillNumerics", "WordmillArtifacts",
            "WordmillSupport", "WordmillTestSupport",
        ]),
        .testTarget(name: "WordmillTextTests", dependencies: ["WordmillText", "WordmillArtifacts", "WordmillTestSupport"]),
        .testTarget(name: "WordmillDataTests", dependencies: ["WordmillData", "WordmillText", "WordmillArtifacts", "WordmillTestSupport"]),
        .testTarget(name: "WordmillModelsTests", dependencies: ["WordmillModels", "WordmillData", "WordmillArtifacts", "WordmillNumerics", "WordmillSupport", "WordmillTestSupport"]),
        .testTarget(name: "WordmillExportTests", dependencies: ["WordmillExport", "WordmillModels", "WordmillTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["WordmillArtifacts", "WordmillExport", "WordmillNumerics", "WordmillSupport", "WordmillTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
