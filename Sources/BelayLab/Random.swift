// Seeded randomness that is the same on every platform and toolchain.
//
// The standard library's `shuffled(using:)` and `Int.random(in:using:)` do not promise a fixed algorithm,
// so a seed could give a different split after a compiler update. Everything random in BelayLab goes through
// this generator and these functions instead, so "seed 3" names one split forever.

// The generator itself lives in ExerciseKit, the library students link, so that the rule ExerciseKit documents is
// the one Belay's reference runs: xoshiro256** seeded through splitmix64 (see `ExerciseKit.SeededGenerator`).
@_exported import struct ExerciseKit.SeededGenerator

/// Shuffles `a` in place with the Fisher–Yates (Durstenfeld) algorithm: for i from the end down to 1, swap
/// element i with a uniform j in 0...i. Every permutation is equally likely.
/// - Complexity: O(n).
public func seededShuffle<T>(_ a: inout [T], using generator: inout SeededGenerator) {
    generator.shuffle(&a)
}

/// A shuffled copy of `a`, determined by `seed` alone (see `seededShuffle(_:using:)`).
/// - Complexity: O(n).
public func seededShuffle<T>(_ a: [T], seed: UInt64) -> [T] {
    var generator = SeededGenerator(seed: seed)
    var copy = a
    seededShuffle(&copy, using: &generator)
    return copy
}
