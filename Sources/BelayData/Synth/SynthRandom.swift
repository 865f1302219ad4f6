import BelayLab
import Foundation

/// The generator's own seeded random source: Belay's one `SeededGenerator` (xoshiro256** seeded through splitmix64,
/// defined in ExerciseKit), plus the draws the synthetic data needs.
///
/// Everything the synthetic dataset draws goes through this type (uniforms, integers, normals,
/// shuffles, weighted choices), never through the standard library's `shuffled()`/`randomElement()`,
/// so one seed gives the same bytes on every toolchain. Normals use Box–Muller in `Double`
/// (`log`, `sqrt`, `cos`, `sin`) and are stored as `Float`, so a last-ulp libm difference between
/// platforms would almost never reach the stored value.
struct SynthRNG: Sendable {
    private var generator: SeededGenerator
    /// The second Box–Muller deviate, kept for the next call.
    private var spareNormal: Double?

    /// Seeds the four state words from `seed` with splitmix64 (never all zero).
    init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }

    /// Derives an independent stream for a named purpose, so adding draws in one stage does not
    /// shift the values of another.
    func fork(_ stream: UInt64) -> SynthRNG {
        let s = generator.state
        return SynthRNG(seed: s.0 ^ (stream &* 0xD1B5_4A32_D192_ED03) ^ s.3.rotated(17))
    }

    /// The next 64 random bits (xoshiro256**).
    mutating func next() -> UInt64 { generator.next() }

    /// A uniform `Double` in [0, 1) with 53 random bits.
    mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform `Double` in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// `true` with probability `p`.
    mutating func chance(_ p: Double) -> Bool {
        uniform() < p
    }

    /// A uniform integer in `0..<bound` (Lemire's multiply-shift with rejection, unbiased); 0 when `bound <= 1`,
    /// without a draw.
    mutating func int(below bound: Int) -> Int {
        guard bound > 1 else { return 0 }
        return generator.nextIndex(below: bound)
    }

    /// A uniform integer in `range`.
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// A standard normal deviate (Box–Muller; the pair's second value is cached).
    mutating func normal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = 1.0 - uniform()  // (0, 1]: log stays finite
        let u2 = uniform()
        let r = (-2.0 * log(u1)).squareRoot()
        let theta = 2.0 * Double.pi * u2
        spareNormal = r * sin(theta)
        return r * cos(theta)
    }

    /// Shuffles `array` in place (Fisher–Yates, from the back; `SeededGenerator.shuffle`).
    mutating func shuffle<T>(_ array: inout [T]) { generator.shuffle(&array) }

    /// `count` distinct indices from `0..<population`, in the order drawn (partial Fisher–Yates).
    /// - Complexity: O(population).
    mutating func sample(_ count: Int, from population: Int) -> [Int] {
        var pool = Array(0..<population)
        let k = min(max(count, 0), population)
        for i in 0..<k {
            let j = i + int(below: population - i)
            pool.swapAt(i, j)
        }
        return Array(pool[0..<k])
    }

    /// An element of `items`, uniformly.
    mutating func pick<T>(_ items: [T]) -> T {
        items[int(below: items.count)]
    }
}

extension UInt64 {
    fileprivate func rotated(_ k: UInt64) -> UInt64 {
        (self << k) | (self >> (64 - k))
    }
}

/// A fixed discrete distribution over byte symbols, sampled by a cumulative table.
struct SynthCategorical: Sendable {
    let symbols: [UInt8]
    private let cumulative: [Double]

    /// Builds the table from `(symbol, weight)` pairs; weights need not sum to 1.
    init(_ weights: [(Character, Double)]) {
        var symbols: [UInt8] = []
        var cumulative: [Double] = []
        var total = 0.0
        for (c, w) in weights where w > 0 {
            total += w
            symbols.append(c.asciiValue ?? UInt8(ascii: "X"))
            cumulative.append(total)
        }
        self.symbols = symbols
        self.cumulative = cumulative.map { $0 / total }
    }

    /// One symbol.
    func draw(_ rng: inout SynthRNG) -> UInt8 {
        let u = rng.uniform()
        for (i, c) in cumulative.enumerated() where u < c { return symbols[i] }
        return symbols[symbols.count - 1]
    }
}
