// swift-tools-version: 6.1
import PackageDescription

// libFuzzer targets for the parsers that read what students and instructors hand in (run them with scripts/fuzz).
// Each executable defines `LLVMFuzzerTestOneInput` and gets libFuzzer's `main`, so it only links when built with
// `--sanitize fuzzer` (plus `--sanitize address`). They assert nothing beyond "no crash, no trap, no hang, no
// runaway memory": a malformed file must come back as a thrown error or a value, never bring the grader down.
//
// `BelayRoot` is a symbolic link to the repository (`..`): a path dependency is named after its folder, and the
// link gives it the same name wherever the repository is cloned (even into a folder called `fuzz`, which would
// clash with this package's own name).

/// A fuzz target: one source file `Sources/<name>/<name>.swift` (not `main.swift`, so it is parsed as a library
/// and libFuzzer's `main` is the only one).
func fuzzer(_ name: String, _ extra: [Target.Dependency] = []) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["FuzzSupport", .product(name: "BelayParsers", package: "BelayRoot")] + extra)
}

let package = Package(
    name: "BelayFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(path: "BelayRoot"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        .target(name: "FuzzSupport"),
        // What students hand in.
        fuzzer("fuzz-csv"),
        fuzzer("fuzz-notebook"),
        fuzzer("fuzz-reflection", [.product(name: "ExerciseKit", package: "BelayRoot")]),
        fuzzer("fuzz-submission"),
        fuzzer("fuzz-unzip"),
        fuzzer("fuzz-harness-reply", [.product(name: "ExerciseKit", package: "BelayRoot")]),
        // What instructors hand in.
        fuzzer("fuzz-rubric"),
        fuzzer("fuzz-xlsx"),
        fuzzer("fuzz-xlsx-parts", [.product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        fuzzer("fuzz-fasta"),
        fuzzer("fuzz-gzip"),
    ]
)
