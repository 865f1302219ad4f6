/// The one seeded random number generator of Belay and of every route's exercises: xoshiro256** (Blackman &
/// Vigna, 2018), seeded through splitmix64. Small, fast, and fully specified here, so that a seed names the same
/// stream on every machine and every Swift version.
///
/// Belay's own reference runs, its synthetic data generator and the splits of ``SeededSplit`` all draw from this
/// type: a split you compute with it is bit for bit the split Belay computes for the same seed and data. Shuffle
/// with ``shuffle(_:)`` rather than the standard library's `shuffle(using:)`, whose use of the generator is not
/// promised to stay the same between Swift releases.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// var ids = Array(0..<10)
/// rng.shuffle(&ids)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable, Equatable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// Creates a generator whose whole stream is determined by `seed`. The four state words are the first four
    /// outputs of splitmix64 started at `seed`, as the xoshiro authors recommend (never all zero).
    public init(seed: UInt64) {
        var x = seed
        func splitmix64() -> UInt64 {
            x &+= 0x9E37_79B9_7F4A_7C15
            var z = x
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s = (splitmix64(), splitmix64(), splitmix64(), splitmix64())
    }

    /// The four state words, for deriving an independent stream from the current state (see Belay's data generator).
    public var state: (UInt64, UInt64, UInt64, UInt64) { s }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = Self.rotl(s.3, 45)
        return result
    }

    /// A uniform integer in `0..<bound` (`bound > 0`), by Lemire's multiply-and-reject method: unbiased and
    /// specified here, not by the standard library.
    public mutating func nextIndex(below bound: Int) -> Int {
        precondition(bound > 0, "bound must be positive")
        let b = UInt64(bound)
        var m = next().multipliedFullWidth(by: b)
        if m.low < b {
            let threshold = (0 &- b) % b
            while m.low < threshold { m = next().multipliedFullWidth(by: b) }
        }
        return Int(m.high)
    }

    /// A uniform `Double` in `[0, 1)` with 53 random bits.
    public mutating func nextUnitDouble() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Shuffles `elements` in place with the Fisher–Yates (Durstenfeld) algorithm: for `i` from the last position
    /// down to 1, swap element `i` with element `nextIndex(below: i + 1)`. Every permutation is equally likely.
    ///
    /// - Complexity: O(*n*).
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            let j = nextIndex(below: i + 1)
            if i != j { elements.swapAt(i, j) }
        }
    }

    /// The equal-state comparison (tuples are not `Equatable`).
    public static func == (a: SeededGenerator, b: SeededGenerator) -> Bool {
        a.s.0 == b.s.0 && a.s.1 == b.s.1 && a.s.2 == b.s.2 && a.s.3 == b.s.3
    }

    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}
