/// A small, fast random number generator whose sequence depends only on its seed (SplitMix64).
///
/// Use it for the splits so that the same seed always gives the same split, on every machine and every
/// Swift version. Shuffle with ``shuffle(_:)`` rather than the standard library's `shuffle(using:)`,
/// whose use of the generator is not promised to stay the same between Swift releases.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// var ids = Array(0..<10)
/// rng.shuffle(&ids)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator; equal seeds give equal sequences.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `0..<upperBound` (`upperBound > 0`), by rejection so that it is unbiased.
    public mutating func nextIndex(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "upperBound must be positive")
        let bound = UInt64(upperBound)
        let limit = UInt64.max - UInt64.max % bound
        while true {
            let value = next()
            if value < limit { return Int(value % bound) }
        }
    }

    /// Shuffles `elements` in place (Fisher–Yates, from the last position down).
    ///
    /// - Complexity: O(*n*).
    public mutating func shuffle<Element>(_ elements: inout [Element]) {
        guard elements.count > 1 else { return }
        for i in stride(from: elements.count - 1, to: 0, by: -1) {
            elements.swapAt(i, nextIndex(below: i + 1))
        }
    }
}
