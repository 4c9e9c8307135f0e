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
        .systemLibrary(name: "CZstd", pkgConfig: "libzstd",
                       providers: [.apt(["libzstd-dev"]), .brew(["zstd"])]),
        .systemLibrary(name: "CMecab", providers: [.apt(["libmecab-dev"]), .brew(["mecab"])]),
        .target(name: "WordmillArtifacts", dependencies: ["CZstd", "CFileSync"]),
        .target(name: "CFileSync"),
        .target(name: "WordmillPipeline", dependencies: ["WordmillArtifacts"]),
        .target(name: "WordmillText", dependencies: ["WordmillArtifacts", "CMecab", "CPrefetch", "CTextScan", "CTokenCount"]),
        .target(name: "CPrefetch"),
        .target(name: "CTextScan"),
        .target(name: "CTokenCount"),
        .target(name: "WordmillNumerics", dependencies: ["WordmillArtifacts", "CPrefetch"]),
        .target(name: "WordmillData", dependencies: ["WordmillText", "WordmillNumerics", "WordmillArtifacts"]),
        .target(name: "WordmillModels", dependencies: ["WordmillData", "WordmillNumerics", "WordmillArtifacts"]),
        .target(name: "WordmillExport", dependencies: ["WordmillModels", "WordmillArtifacts"]),
        .target(name: "WordmillStages", dependencies: [
            "WordmillPipeline", "WordmillExport", "WordmillModels", "WordmillData", "WordmillText", "WordmillArtifacts",
        ]),
        .executableTarget(name: "wordmill", dependencies: [
            "WordmillStages", "WordmillPipeline", "WordmillExport", "WordmillModels", "WordmillArtifacts",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .target(name: "WordmillTestSupport", dependencies: ["WordmillArtifacts"], path: "Tests/WordmillTestSupport"),
        .testTarget(name: "WordmillArtifactsTests", dependencies: ["WordmillArtifacts", "WordmillTestSupport"]),
        .testTarget(name: "WordmillPipelineTests", dependencies: ["WordmillPipeline", "WordmillStages", "WordmillData", "WordmillText", "WordmillModels", "WordmillTestSupport"]),
        .testTarget(name: "WordmillTextTests", dependencies: ["WordmillText", "WordmillTestSupport"]),
        .testTarget(name: "WordmillDataTests", dependencies: ["WordmillData", "WordmillText", "WordmillTestSupport"]),
        .testTarget(name: "WordmillModelsTests", dependencies: ["WordmillModels", "WordmillNumerics", "WordmillTestSupport"]),
        .testTarget(name: "WordmillExportTests", dependencies: ["WordmillExport", "WordmillModels", "WordmillTestSupport"]),
        .testTarget(name: "EndToEndTests", dependencies: ["WordmillArtifacts", "WordmillExport", "WordmillTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
