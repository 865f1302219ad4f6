// swift-tools-version: 6.1
import PackageDescription

// Route 019 "The Leaky Pipeline", Swift track: starter package.
let package = Package(
    name: "LeakyPipeline",
    platforms: [.macOS(.v15)],
    products: [.library(name: "LeakyPipeline", targets: ["LeakyPipeline"])],
    dependencies: [
        // Inside the Belay repository; students use the course's URL instead (see the exercise README).
        .package(name: "Belay", path: "../../../")
    ],
    targets: [
        .target(name: "LeakyPipeline", dependencies: [.product(name: "ExerciseKit", package: "Belay")])
    ]
)
