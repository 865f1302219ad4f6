// swift-tools-version: 6.1
import PackageDescription

// Route 020 "Good Models from Bad Labels", Swift track: starter package.
let package = Package(
    name: "GoodModels",
    platforms: [.macOS(.v15)],
    products: [.library(name: "GoodModels", targets: ["GoodModels"])],
    dependencies: [
        // Inside the Belay repository; students use the course's URL instead (see the exercise README).
        .package(name: "Belay", path: "../../../")
    ],
    targets: [
        .target(name: "GoodModels", dependencies: [.product(name: "GoodModelsKit", package: "Belay")])
    ]
)
