extension ExerciseKitSources {
    /// The Swift text of `ExerciseKitSources.swift` for `files` (name, contents), in the order given.
    ///
    /// The test `embeddedExerciseKitMatchesItsSources` compares this with the committed file and, with
    /// `BELAY_RECORD=1`, rewrites it; that keeps the embedded copy identical to `Sources/ExerciseKit`.
    package static func render(_ files: [(name: String, text: String)]) -> String {
        SwiftKitModule.renderEmbedding(
            typeName: "ExerciseKitSources",
            header: "// Generated from Sources/ExerciseKit by BelaySandboxTests (BELAY_RECORD=1 swift test --filter "
                + "embeddedExerciseKit). Do not edit.",
            files: files)
    }

    /// FNV-1a (64-bit) of the names and contents: part of the compiled library's cache key.
    static var fingerprint: UInt64 {
        var hash = FNV1a()
        for file in files {
            hash.add(file.name)
            hash.add(file.text)
        }
        return hash.value
    }
}

/// FNV-1a, 64-bit: a stable, dependency-free hash for cache keys (not for security).
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ text: String) {
        for byte in text.utf8 {
            value ^= UInt64(byte)
            value = value &* 0x0000_0100_0000_01b3
        }
        value ^= 0xff
        value = value &* 0x0000_0100_0000_01b3
    }
}
