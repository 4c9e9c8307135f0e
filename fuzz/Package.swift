// swift-tools-version:6.0
// The artifact reader under libFuzzer: `make fuzz` (see the README's testing notes).
import PackageDescription

let package = Package(
    name: "wordmill-fuzz",
    dependencies: [.package(name: "wordmill", path: "..")],
    targets: [
        .executableTarget(name: "ArtifactFuzzer", dependencies: [.product(name: "WordmillStages", package: "wordmill")]),
    ],
    swiftLanguageModes: [.v6]
)
