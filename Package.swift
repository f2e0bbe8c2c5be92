// swift-tools-version:6.0
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "onboard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "onboard", targets: ["onboard"]),
        .library(name: "OnboardEngine", targets: ["OnboardEngine"]),
        .library(name: "OnboardStages", targets: ["OnboardStages"]),
        .executable(name: "sample-sites", targets: ["sample-sites"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CSpawn"),
        .target(
            name: "OnboardEngine",
            dependencies: [
                "CSQLite",
                "CSpawn",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OnboardWeb",
            dependencies: ["CCurl", "CLibXML2"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "LoopbackServer",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "onboard-bench",
            dependencies: ["OnboardWeb", "LoopbackServer"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "sample-sites",
            dependencies: ["LoopbackServer"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OnboardStages",
            dependencies: ["OnboardEngine", "OnboardWeb", "CSQLite", .product(name: "Crypto", package: "swift-crypto")],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "OnboardHTTP",
            dependencies: [
                "OnboardEngine", "OnboardStages",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Resources")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "onboard",
            dependencies: [
                "OnboardEngine",
                "OnboardStages",
                "OnboardHTTP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OnboardEngineTests",
            dependencies: ["OnboardEngine"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OnboardWebTests",
            dependencies: ["OnboardWeb", "LoopbackServer"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OnboardTests",
            dependencies: ["OnboardEngine", "OnboardStages", "LoopbackServer", "onboard", "sample-sites"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
    ]
)
