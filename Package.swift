// swift-tools-version: 6.1
import PackageDescription

// Belay: a grader for "The Leaky Pipeline" (Route 019). The folder list is the architecture:
//   C bindings (C*)  ->  BelayFormats (bytes <-> values)        BelayLab (pure reference numerics)
//                         \________________  ________________/
//                                           BelayData (datasets: embedded default, course files, generator)
//   BelayGrading (route-agnostic engine)  BelayReports (JUnit/terminal/JSON/Gradescope)  BelaySandbox (untrusted code)
//   BelayRoute (the Route protocol every route conforms to, the registry, the submission pipeline)
//   Route019 (the route's reference run, checks and submission loaders)
//   belay (command line only)          ExerciseKit (what a student's Swift module links; nothing of the grader)

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Belay",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "belay", targets: ["belay"]),
        .library(name: "ExerciseKit", targets: ["ExerciseKit"]),
        // Route 020's exercise protocol for students' Swift packages (ExerciseKit re-exported).
        .library(name: "GoodModelsKit", targets: ["GoodModelsKit"]),
        // Process 1 of each sandboxed run's PID namespace; `belay` finds it beside its own executable.
        .executable(name: "belay-sandbox-init", targets: ["BelaySandboxInit"]),
        // The parsers the fuzz targets in Fuzz/ (a nested package) call; not a supported API.
        .library(name: "BelayParsers", targets: ["BelayFormats", "BelayGrading", "BelayRoute", "Route019"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // MARK: C bindings (system libraries; Debian packages named as providers)
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlibShim", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        // libxml2 behind a header of plain C types, so that no Swift module ever sees libxml2's (ICU) headers.
        .target(name: "CBelayXML", dependencies: ["CLibXML2"]),

        // MARK: Libraries
        .target(name: "BelayChecksum", swiftSettings: settings),
        .target(
            name: "BelayFormats",
            dependencies: ["CHDF5", "CBelayXML", "CZlibShim", .product(name: "ZIPFoundation", package: "ZIPFoundation")],
            swiftSettings: settings),
        .target(name: "BelayLab", dependencies: ["CBLAS", "ExerciseKit"], swiftSettings: settings),
        .target(
            name: "BelayData",
            dependencies: ["BelayFormats", "BelayLab", "BelayChecksum"],
            resources: [.copy("Resources/mtb-h37rv")],
            swiftSettings: settings),
        .target(
            name: "BelayGrading",
            dependencies: ["BelayChecksum", .product(name: "Yams", package: "Yams")],
            swiftSettings: settings),
        .target(name: "BelayReports", dependencies: ["BelayGrading"], swiftSettings: settings),
        // The plug-in point of routes: the Route protocol, the registry, the submission pipeline (unzip + hash).
        .target(
            name: "BelayRoute",
            dependencies: ["BelayGrading", "BelayData", "BelayFormats", "BelayChecksum"],
            swiftSettings: settings),
        .target(
            name: "BelayBatch",
            dependencies: [
                "BelayGrading", "BelayReports", "BelayChecksum", "BelayFormats", "BelayRoute",
            ],
            swiftSettings: settings),
        .target(name: "BelaySandbox", dependencies: ["ExerciseKit"], swiftSettings: settings),
        .target(
            name: "Route019",
            dependencies: ["BelayFormats", "BelayLab", "BelayData", "BelayGrading", "BelayReports", "BelayRoute", "BelaySandbox", "ExerciseKit",
                "BelayChecksum",
            ],
            resources: [.copy("Resources/019-leaky-pipeline")],
            swiftSettings: settings),
        .target(
            name: "Route020",
            dependencies: [
                "BelayFormats", "BelayLab", "BelayData", "BelayGrading", "BelayRoute", "BelayChecksum", "BelaySandbox",
                "ExerciseKit", "GoodModelsKit",
            ],
            resources: [.copy("Resources/020-good-models-from-bad-labels")],
            swiftSettings: settings),
        .target(name: "GoodModelsKit", dependencies: ["ExerciseKit"], path: "Sources/Route020Kit", swiftSettings: settings),
        .target(name: "ExerciseKit", swiftSettings: settings),
        .executableTarget(name: "BelaySandboxInit"),
        .executableTarget(
            name: "belay",
            dependencies: [
                "Route019", "Route020", "BelayRoute", "BelayBatch", "BelayData", "BelayLab", "BelayFormats", "BelayGrading", "BelayReports",
                "BelaySandboxInit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ],
            swiftSettings: settings),

        // MARK: Tests
        .target(name: "BelayTestSupport", dependencies: ["BelayFormats"], path: "Tests/BelayTestSupport",
                swiftSettings: settings),
        .testTarget(name: "BelayFormatsTests", dependencies: ["BelayFormats", "BelayTestSupport"],
                    resources: [.copy("Fixtures")], swiftSettings: settings),
        .testTarget(name: "BelayLabTests", dependencies: ["BelayLab", "BelayTestSupport"], swiftSettings: settings),
        .testTarget(name: "BelayDataTests", dependencies: ["BelayData", "BelayLab", "BelayFormats", "BelayTestSupport"],
                    swiftSettings: settings),
        .testTarget(name: "BelayGradingTests", dependencies: ["BelayGrading", "BelayReports", "BelayChecksum", "BelayTestSupport"],
                    exclude: ["Schemas"],  // read from the source tree by path (ReportTests)
                    swiftSettings: settings),
        .testTarget(name: "BelayBatchTests",
                    dependencies: ["BelayBatch", "BelayRoute", "BelayGrading", "BelayReports", "BelayTestSupport",
                                   .product(name: "ZIPFoundation", package: "ZIPFoundation")],
                    swiftSettings: settings),
        .testTarget(name: "BelaySandboxTests", dependencies: ["BelaySandbox", "BelaySandboxInit", "ExerciseKit", "BelayTestSupport"],
                    swiftSettings: settings),
        .testTarget(name: "Route019Tests", dependencies: ["Route019", "BelayRoute", "BelayBatch", "BelayTestSupport"], swiftSettings: settings),
        .testTarget(name: "Route020Tests", dependencies: ["Route020", "BelayRoute", "BelayTestSupport", "BelaySandbox", "GoodModelsKit"], swiftSettings: settings),
        .testTarget(name: "BelayCLITests", dependencies: ["belay", "BelayTestSupport"], swiftSettings: settings),
    ]
)
